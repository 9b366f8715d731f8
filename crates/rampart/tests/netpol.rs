//! `rampart netpol` driven as a user would, on a small folder of manifests.

use assert_cmd::Command;
use serde_json::Value;

const MANIFESTS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: http}, {port: nope}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-isolated, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress, Egress]
";

/// Runs `rampart netpol ARGS DIR` with `manifests` in DIR/shop.yaml; returns (exit code,
/// stdout, stderr) with DIR left out of paths.
fn rampart_netpol(manifests: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.yaml"), manifests).unwrap();
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .arg("netpol")
        .args(args)
        .arg(dir.path())
        .output()
        .unwrap();
    // Paths are shown relative to the folder, as a user running in it would see them.
    let folder = format!("{}/", dir.path().display());
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap().replace(&folder, "");
    let stderr = text(output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap(), text(output.stdout), stderr)
}

/// Runs `rampart netpol connlist ARGS DIR` on the manifests.
fn connlist(args: &[&str]) -> (i32, String, String) {
    let args: Vec<&str> = ["connlist"].iter().chain(args).copied().collect();
    rampart_netpol(MANIFESTS, &args)
}

#[test]
fn txt_lists_connections_in_netpol_analyzer_notation() {
    let (code, stdout, stderr) = connlist(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "0.0.0.0-255.255.255.255[External] => shop/web[Deployment] : TCP 8080\n\
         shop/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections\n"
    );
    assert!(
        stderr.contains("shop.yaml:25:") && stderr.contains("port named `nope`"),
        "{stderr}"
    );
}

#[test]
fn json_is_an_array_of_src_dst_conn() {
    let (code, stdout, _) = connlist(&["--format", "json"]);
    assert_eq!(code, 0);
    let rows: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        rows,
        serde_json::json!([
            {"src": "0.0.0.0-255.255.255.255[External]", "dst": "shop/web[Deployment]", "conn": "TCP 8080"},
            {"src": "shop/web[Deployment]", "dst": "0.0.0.0-255.255.255.255[External]", "conn": "All Connections"},
        ])
    );
}

const EXTERNAL: &str = "0.0.0.0-255.255.255.255[External]";

#[test]
fn csv_and_md_tabulate_the_same_connections() {
    let (code, csv, _) = connlist(&["--format", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(
        csv,
        format!(
            "src,dst,conn\n\
             {EXTERNAL},shop/web[Deployment],TCP 8080\n\
             shop/web[Deployment],{EXTERNAL},All Connections\n"
        )
    );
    let (code, md, _) = connlist(&["--format", "md"]);
    assert_eq!(code, 0);
    assert_eq!(
        md,
        format!(
            "| src | dst | conn |\n\
             |-----|-----|------|\n\
             | {EXTERNAL} | shop/web[Deployment] | TCP 8080 |\n\
             | shop/web[Deployment] | {EXTERNAL} | All Connections |\n"
        )
    );
}

#[test]
fn dot_draws_every_workload_grouped_by_namespace() {
    let (code, dot, _) = connlist(&["--format", "dot"]);
    assert_eq!(code, 0);
    // shop/db has no connection and is drawn all the same; edges weigh 0.5 when the source's
    // name sorts first.
    let expected = format!(
        r#"digraph {{
	subgraph "cluster_shop[namespace]" {{
		color="black"
		fontcolor="black"
		"shop/db[Pod]" [label="db[Pod]" color="blue" fontcolor="blue"]
		"shop/web[Deployment]" [label="web[Deployment]" color="blue" fontcolor="blue"]
		label="shop[namespace]"
	}}
	"{EXTERNAL}" [label="{EXTERNAL}" color="red2" fontcolor="red2"]
	"{EXTERNAL}" -> "shop/web[Deployment]" [label="TCP 8080" color="gold2" fontcolor="darkgreen" weight=0.5]
	"shop/web[Deployment]" -> "{EXTERNAL}" [label="All Connections" color="gold2" fontcolor="darkgreen" weight=1]
}}
"#
    );
    assert_eq!(dot, expected);
}

#[test]
fn focus_workload_keeps_the_connections_of_that_workload() {
    let (_, by_name, _) = connlist(&["--focus-workload", "web"]);
    let (_, by_namespaced_name, _) = connlist(&["--focus-workload", "shop/web"]);
    assert_eq!(by_name.lines().count(), 2, "{by_name}");
    assert_eq!(by_name, by_namespaced_name);
    // db is isolated both ways: nothing to list, and no warning since it exists.
    let (code, isolated, stderr) = connlist(&["--focus-workload", "db"]);
    assert_eq!((code, isolated.as_str()), (0, ""));
    assert!(!stderr.contains("not in the input"), "{stderr}");
    let (_, other_namespace, _) = connlist(&["--focus-workload", "ops/web"]);
    assert_eq!(other_namespace, "");
    // Only the focused workload is drawn.
    let (_, dot, _) = connlist(&["--focus-workload", "db", "--format", "dot"]);
    assert!(
        dot.contains("shop/db[Pod]") && !dot.contains("web"),
        "{dot}"
    );
    let (code, _, stderr) = connlist(&["--focus-workload", "nope"]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("workload `nope` is not in the input"),
        "{stderr}"
    );
}

#[test]
fn a_missing_path_exits_2() {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .args(["netpol", "connlist", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// The shop with an Ingress in front of web.
fn with_ingress() -> String {
    format!(
        "{MANIFESTS}---
apiVersion: v1
kind: Service
metadata: {{name: web, namespace: shop}}
spec:
  selector: {{app: web}}
  ports: [{{port: 80, targetPort: http}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: shop, namespace: shop}}
spec:
  defaultBackend: {{service: {{name: web, port: {{number: 80}}}}}}
"
    )
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn reach_exits_0_when_allowed_and_1_when_denied_naming_the_deciding_policies() {
    let reach = |args: &[&str]| {
        let args: Vec<&str> = ["reach"].iter().chain(args).copied().collect();
        rampart_netpol(MANIFESTS, &args)
    };
    let (code, stdout, stderr) = reach(&["--from", "web", "--to", "shop/db"]);
    assert_eq!(code, 1, "{stderr}");
    let isolating = format!(
        "NetworkPolicy shop/db-isolated (shop.yaml:{})",
        line_of(MANIFESTS, "name: db-isolated") - 2
    );
    assert!(
        stdout.starts_with("shop/web[Deployment] => shop/db[Pod]: denied (No Connections)\n"),
        "{stdout}"
    );
    assert!(stdout.contains(&isolating), "{stdout}");

    // From outside to web's named port: allowed by web-in's rule, on that port only.
    let (code, stdout, _) = reach(&["--from", "203.0.113.9", "--to", "web", "--port", "http"]);
    assert_eq!(code, 0, "{stdout}");
    let rule = format!(
        "NetworkPolicy shop/web-in (shop.yaml:{}), ingress rule 0 (shop.yaml:{})",
        line_of(MANIFESTS, "name: web-in") - 2,
        line_of(MANIFESTS, "ports: [{port: http}")
    );
    assert!(
        stdout.contains(&format!("allow TCP 8080: {rule}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("outside the cluster: no policy applies"),
        "{stdout}"
    );
    let (code, _, _) = reach(&["--from", "203.0.113.9", "--to", "web", "--port", "8080/tcp"]);
    assert_eq!(code, 0);
    let (code, stdout, _) = reach(&["--from", "203.0.113.9", "--to", "web", "--port", "53/UDP"]);
    assert_eq!(code, 1, "{stdout}");
}

#[test]
fn reach_json_carries_each_decision_with_its_location() {
    let (code, stdout, _) = rampart_netpol(
        MANIFESTS,
        &["reach", "--from", "shop/web", "--to", "db", "-f", "json"],
    );
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["allowed"], false);
    assert_eq!(json["connections"], "No Connections");
    // web's egress is governed by no policy; db's ingress is closed by db-isolated.
    assert_eq!(json["egress"]["decisions"][0]["layer"], "default");
    let decision = &json["ingress"]["decisions"][0];
    assert_eq!(decision["effect"], "deny");
    assert_eq!(decision["policy"]["name"], "db-isolated");
    assert_eq!(
        decision["policy"]["line"],
        line_of(MANIFESTS, "name: db-isolated") - 2
    );
    assert_eq!(decision["policy"]["path"], "shop.yaml");
    assert!(decision.get("rule").is_none());
}

#[test]
fn reach_from_the_ingress_controller_names_the_ingress() {
    let manifests = with_ingress();
    let (code, stdout, stderr) = rampart_netpol(
        &manifests,
        &["reach", "--from", "ingress-controller", "--to", "web"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!(
            "allow TCP 8080: exposed by Ingress shop/shop (shop.yaml:{})",
            line_of(&manifests, "defaultBackend")
        )),
        "{stdout}"
    );
    let (code, _, _) = rampart_netpol(
        &manifests,
        &["reach", "--from", "ingress-controller", "--to", "db"],
    );
    assert_eq!(code, 1);
}

#[test]
fn reach_rejects_bad_peers_and_ports_with_exit_2() {
    for args in [
        ["--from", "nope", "--to", "db", "--port", "80"],
        ["--from", "web", "--to", "db", "--port", "70000"],
        ["--from", "web", "--to", "db", "--port", "80/ICMP"],
        ["--from", "web", "--to", "db", "--port", "nope"],
        ["--from", "web", "--to", "web", "--port", "80"],
        [
            "--from",
            "web",
            "--to",
            "ingress-controller",
            "--port",
            "80",
        ],
    ] {
        let args: Vec<&str> = ["reach"].iter().chain(&args).copied().collect();
        let (code, _, stderr) = rampart_netpol(MANIFESTS, &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("error"), "{stderr}");
    }
}
