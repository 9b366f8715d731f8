//! The test server behaves like a real API server to a real client: `kubectl` (installed by
//! `.ci/run`; these tests skip, saying so, where it is absent) lists from it with paging, is
//! refused what the credentials may not read, watches, and reads a node's kubelet configuration
//! through the node proxy.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rampart_test_apiserver::{ApiServer, Options};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// `kubectl` with a throwaway discovery cache, or `None` (having said so) where it is absent.
fn kubectl(server: &ApiServer, cache: &Path) -> Option<Command> {
    if Command::new("kubectl")
        .args(["version", "--client"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        eprintln!("skipped: kubectl is not installed (.ci/run installs it)");
        return None;
    }
    let mut command = Command::new("kubectl");
    command
        .env("KUBECONFIG", server.kubeconfig())
        .env("HOME", cache)
        .arg("--cache-dir")
        .arg(cache.join("discovery"));
    Some(command)
}

fn run(mut command: Command, args: &[&str]) -> Output {
    command.args(args).output().expect("kubectl runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "kubectl failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn kubectl_lists_every_pod_in_pages_of_the_chunk_size() {
    let server = ApiServer::start(&Options::new(fixture("cluster")));
    let cache = tempfile::tempdir().unwrap();
    let Some(kubectl) = kubectl(&server, cache.path()) else {
        return;
    };
    let output = run(
        kubectl,
        &["get", "pods", "-A", "-o", "name", "--chunk-size=2"],
    );
    let mut names: Vec<_> = stdout(&output).lines().map(str::to_owned).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "pod/api",
            "pod/cache",
            "pod/web-1",
            "pod/web-2",
            "pod/worker"
        ]
    );
    let pages: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r["uri"].as_str().map(str::to_owned))
        .filter(|uri| uri.contains("/api/v1/pods?"))
        .collect();
    assert_eq!(pages.len(), 3, "five pods in pages of two: {pages:?}");
    assert!(pages.iter().all(|uri| uri.contains("limit=2")));
    assert_eq!(
        pages.iter().filter(|uri| uri.contains("continue=")).count(),
        2
    );
}

#[test]
fn kubectl_reads_objects_in_a_namespace_and_by_name_as_json() {
    let server = ApiServer::start(&Options::new(fixture("cluster")));
    let cache = tempfile::tempdir().unwrap();
    let Some(kubectl) = kubectl(&server, cache.path()) else {
        return;
    };
    let output = run(
        kubectl,
        &["get", "pod", "web-2", "-n", "team-a", "-o", "json"],
    );
    let pod: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(pod["kind"], "Pod");
    assert_eq!(pod["apiVersion"], "v1");
    assert_eq!(pod["metadata"]["namespace"], "team-a");
    assert!(pod["metadata"]["resourceVersion"].is_string());
    let kubectl = self::kubectl(&server, cache.path()).unwrap();
    let output = run(
        kubectl,
        &["get", "pods", "-n", "team-a", "-l", "app=web", "-o", "name"],
    );
    assert_eq!(stdout(&output), "pod/web-1\npod/web-2\n");
    let kubectl = self::kubectl(&server, cache.path()).unwrap();
    let output = run(kubectl, &["get", "pod", "nothing", "-n", "team-a"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("Error from server (NotFound): pods \"nothing\" not found"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn kubectl_is_refused_a_forbidden_kind_and_a_wrong_token() {
    let server = ApiServer::start(&Options::new(fixture("cluster")).forbid("secrets"));
    let cache = tempfile::tempdir().unwrap();
    let Some(kubectl) = kubectl(&server, cache.path()) else {
        return;
    };
    let output = run(kubectl, &["get", "secrets", "-A"]);
    assert!(!output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "Error from server (Forbidden): secrets is forbidden: User \"rampart-test-admin\" \
         cannot list resource \"secrets\" in API group \"\" at the cluster scope"
    );
    let kubectl = self::kubectl(&server, cache.path()).unwrap();
    let output = run(kubectl, &["--token", "not-a-token", "get", "pods", "-A"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("Unauthorized"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn rbac_objects_decide_what_a_token_may_read() {
    let options = Options::new(fixture("cluster"))
        .token("viewer-token", "viewer", &[])
        .rbac(fixture("rbac"));
    let server = ApiServer::start(&options);
    let cache = tempfile::tempdir().unwrap();
    let Some(kubectl) = kubectl(&server, cache.path()) else {
        return;
    };
    let as_viewer = |mut command: Command, args: &[&str]| {
        command.args(["--context", "viewer"]);
        run(command, args)
    };
    let output = as_viewer(kubectl, &["get", "pods", "-n", "team-a", "-o", "name"]);
    assert_eq!(stdout(&output), "pod/web-1\npod/web-2\npod/worker\n");
    let output = as_viewer(
        self::kubectl(&server, cache.path()).unwrap(),
        &["get", "pods", "-n", "team-b"],
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(
            "pods is forbidden: User \"viewer\" cannot list resource \"pods\" in API group \"\" \
             in the namespace \"team-b\""
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The admin is in system:masters, which RBAC does not restrict.
    let output = run(
        self::kubectl(&server, cache.path()).unwrap(),
        &["get", "pods", "-n", "team-b", "-o", "name"],
    );
    assert_eq!(stdout(&output), "pod/api\npod/cache\n");
}

#[test]
fn kubectl_reads_the_kubelet_configuration_through_the_node_proxy() {
    let server = ApiServer::start(&Options::new(fixture("cluster")));
    let cache = tempfile::tempdir().unwrap();
    let Some(kubectl) = kubectl(&server, cache.path()) else {
        return;
    };
    let output = run(
        kubectl,
        &["get", "--raw", "/api/v1/nodes/node-a/proxy/configz"],
    );
    let configz: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        configz,
        serde_json::json!({"kubeletconfig": {
            "authentication": {"anonymous": {"enabled": false}},
            "readOnlyPort": 0,
        }})
    );
    let output = run(
        self::kubectl(&server, cache.path()).unwrap(),
        &["get", "--raw", "/api/v1/nodes/node-b/proxy/configz"],
    );
    assert!(!output.status.success(), "node-b does not exist");
}

#[test]
fn kubectl_watches_objects_added_to_the_folder() {
    let data = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("cluster/pods.yaml"), data.path().join("pods.yaml")).unwrap();
    let server = ApiServer::start(&Options::new(data.path()));
    let cache = tempfile::tempdir().unwrap();
    let Some(mut kubectl) = kubectl(&server, cache.path()) else {
        return;
    };
    let mut watch = kubectl
        .args(["get", "pods", "-n", "team-b", "--watch", "-o", "name"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (lines, received) = mpsc::channel();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                return;
            }
        }
    });
    let next = || received.recv_timeout(Duration::from_secs(20)).ok();
    let mut first = vec![next(), next()];
    first.sort();
    assert_eq!(
        first,
        [Some("pod/api".to_owned()), Some("pod/cache".to_owned())]
    );
    std::fs::write(
        data.path().join("added.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: late, namespace: team-b}\n\
         spec: {containers: [{name: c, image: busybox}]}\n",
    )
    .unwrap();
    assert_eq!(next(), Some("pod/late".to_owned()));
    let _ = watch.kill();
    let _ = watch.wait();
}
