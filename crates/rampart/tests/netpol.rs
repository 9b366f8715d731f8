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

/// Runs `rampart netpol connlist ARGS DIR` on the manifests; returns (exit code, stdout, stderr).
fn connlist(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.yaml"), MANIFESTS).unwrap();
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .args(["netpol", "connlist"])
        .args(args)
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        stderr,
    )
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
        .args(["netpol", "connlist", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
