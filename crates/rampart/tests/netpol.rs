//! `rampart netpol connlist` driven as a user would, on a small folder of manifests.

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

#[test]
fn a_missing_path_exits_2() {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .args(["netpol", "connlist", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
