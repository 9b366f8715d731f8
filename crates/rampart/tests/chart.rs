//! The Helm chart in `deploy/chart`, rendered by rampart's own renderer (`rampart-render`, the
//! same output as `helm template`): what it installs, wired together as the API server needs
//! it, and judged by rampart itself: no finding at `--fail-on low`, and Pod Security's
//! restricted level for every pod but the node scan's, which reads the node's files through
//! hostPath mounts and runs in a namespace of its own.

use std::path::{Path, PathBuf};
use std::process::Command;

use rampart_render::helm::{Options, SetKind, load_dir, render};
use rampart_source::{HostFiles, Limits, parse_text};
use serde_json::Value;

const DIGEST: &str = "sha256:8f1f3c0e5f0a4e7c9b2d6a1e3f5c7b9d0e2f4a6c8b0d2e4f6a8c0e2d4f6b8a0c";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The chart rendered as `helm template rampart deploy/chart -n rampart --set ...`.
fn rendered(set: &[&str]) -> String {
    let chart_dir = repository().join("deploy/chart").canonicalize().unwrap();
    let chart = load_dir(&HostFiles::new(Path::new("/")), chart_dir.to_str().unwrap()).unwrap();
    let options = Options {
        release_name: "rampart".to_owned(),
        namespace: "rampart".to_owned(),
        set: set
            .iter()
            .map(|s| (SetKind::Typed, (*s).to_owned()))
            .collect(),
        ..Options::default()
    };
    render(&chart, &options).unwrap().stream()
}

fn objects(stream: &str) -> Vec<Value> {
    let (objects, errors) = parse_text("rendered.yaml", stream, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    objects.iter().map(|o| o.root.to_json()).collect()
}

fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

fn rampart(args: &[&str], rendered: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rendered.yaml");
    std::fs::write(&file, rendered).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .arg(&file)
        .env_remove("CI")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code().unwrap(), text)
}

#[test]
fn the_chart_installs_the_webhook_the_cluster_scan_and_the_node_scan() {
    let objects = objects(&rendered(&[&format!("image.digest={DIGEST}")]));
    let image = format!("rampart:0.1.0@{DIGEST}");

    let deployment = find(&objects, "Deployment", "rampart-webhook");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], image.as_str());
    let args: Vec<&str> = container["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    for arg in [
        "webhook",
        "--listen=0.0.0.0:8443",
        "--tls-cert=/tls/tls.crt",
        "--tls-key=/tls/tls.key",
        "--deny-on=high",
        "--exempt-namespace=rampart",
        "--exempt-namespace=kube-system",
        "--exempt-group=system:nodes",
    ] {
        assert!(args.contains(&arg), "{arg} not in {args:?}");
    }
    assert_eq!(container["readinessProbe"]["httpGet"]["path"], "/healthz");

    // The API server reaches the Service's port 443 on /validate and trusts the CA that signed
    // the Secret the pods serve.
    let service = find(&objects, "Service", "rampart-webhook");
    assert_eq!(service["spec"]["ports"][0]["port"], 443);
    let configuration = find(
        &objects,
        "ValidatingWebhookConfiguration",
        "rampart-rampart",
    );
    let webhook = &configuration["webhooks"][0];
    assert_eq!(
        webhook["clientConfig"]["service"]["name"],
        "rampart-webhook"
    );
    assert_eq!(webhook["clientConfig"]["service"]["namespace"], "rampart");
    assert_eq!(webhook["clientConfig"]["service"]["path"], "/validate");
    assert_eq!(
        webhook["admissionReviewVersions"],
        serde_json::json!(["v1"])
    );
    assert_eq!(webhook["sideEffects"], "None");
    assert_eq!(webhook["failurePolicy"], "Fail");
    let secret = find(&objects, "Secret", "rampart-webhook-tls");
    assert_eq!(
        webhook["clientConfig"]["caBundle"],
        secret["data"]["ca.crt"]
    );
    assert_eq!(
        deployment["spec"]["template"]["spec"]["volumes"][0]["secret"]["secretName"],
        "rampart-webhook-tls"
    );
    assert_eq!(
        webhook["namespaceSelector"]["matchExpressions"][0]["values"],
        serde_json::json!(["rampart", "kube-system", "kube-node-lease"])
    );

    // The cluster scan: its account bound to the read-only ClusterRole, a token of its own.
    let cron = find(&objects, "CronJob", "rampart-cluster-scan");
    let pod = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    assert_eq!(pod["containers"][0]["args"][0], "cluster");
    assert_eq!(pod["serviceAccountName"], "rampart-cluster-scan");
    assert_eq!(cron["spec"]["successfulJobsHistoryLimit"], 7);
    let binding = find(
        &objects,
        "ClusterRoleBinding",
        "rampart-rampart-cluster-scan",
    );
    assert_eq!(binding["roleRef"]["name"], "rampart-cluster-reader");
    assert_eq!(binding["subjects"][0]["name"], "rampart-cluster-scan");
    let role = find(&objects, "ClusterRole", "rampart-cluster-reader");
    for rule in role["rules"].as_array().unwrap() {
        for verb in rule["verbs"].as_array().unwrap() {
            assert!(
                ["get", "list", "watch"].contains(&verb.as_str().unwrap()),
                "{rule}"
            );
        }
    }

    // The node scan is the DaemonSet of deploy/, its image set by the chart.
    let daemonset = find(&objects, "DaemonSet", "rampart-node");
    assert_eq!(daemonset["metadata"]["namespace"], "rampart-node");
    let shipped =
        std::fs::read_to_string(repository().join("deploy/rampart-node-daemonset.yaml")).unwrap();
    let shipped = self::objects(&shipped);
    let mut shipped_pod =
        find(&shipped, "DaemonSet", "rampart-node")["spec"]["template"]["spec"].clone();
    let mut chart_pod = daemonset["spec"]["template"]["spec"].clone();
    for pod in [&mut shipped_pod, &mut chart_pod] {
        pod["initContainers"][0]["image"] = Value::Null;
        pod["initContainers"][0]
            .as_object_mut()
            .unwrap()
            .remove("imagePullPolicy");
        pod["containers"][0]["image"] = Value::Null;
    }
    assert_eq!(chart_pod, shipped_pod);
}

#[test]
fn cert_manager_issues_the_certificate_when_asked() {
    let objects = objects(&rendered(&["certificate.certManager=true"]));
    assert!(!objects.iter().any(|o| o["kind"] == "Secret"));
    let serving = find(&objects, "Certificate", "rampart-webhook");
    assert_eq!(serving["spec"]["secretName"], "rampart-webhook-tls");
    assert_eq!(
        serving["spec"]["dnsNames"][0],
        "rampart-webhook.rampart.svc"
    );
    let configuration = find(
        &objects,
        "ValidatingWebhookConfiguration",
        "rampart-rampart",
    );
    assert_eq!(
        configuration["metadata"]["annotations"]["cert-manager.io/inject-ca-from"],
        "rampart/rampart-webhook"
    );
    assert!(
        configuration["webhooks"][0]["clientConfig"]
            .get("caBundle")
            .is_none()
    );
}

#[test]
fn the_rendered_chart_passes_rampart_at_low_and_pod_security_restricted() {
    let stream = rendered(&[&format!("image.digest={DIGEST}")]);
    let (code, report) = rampart(&["scan", "--fail-on", "low", "--format", "json"], &stream);
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    assert_eq!(code, 0);

    let (code, answer) = rampart(
        &["pss", "--level", "restricted", "--format", "json"],
        &stream,
    );
    let answer: Value = serde_json::from_str(&answer).unwrap();
    let denied: Vec<String> = answer["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer:#}"))
        .iter()
        .filter(|r| r["allowed"] == false)
        .map(|r| {
            format!(
                "{}/{}",
                r["object"]["kind"].as_str().unwrap(),
                r["object"]["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(denied, ["DaemonSet/rampart-node"], "{answer:#}");
    assert_ne!(code, 2);

    // Without a digest, the only finding is the image reference that is not pinned.
    let (_, report) = rampart(
        &["scan", "--fail-on", "low", "--format", "json"],
        &rendered(&[]),
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| *c == "K138"),
        "{codes:?}"
    );
}
