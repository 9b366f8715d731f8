//! `rampart node` on fixture node roots (`tests/nodes/<name>/`, with the modes and owners of
//! `tests/nodes/<name>.modes`): each gives exactly its expected findings, each naming the
//! file and line its effective value came from.

#[path = "../../rampart-scan/tests/support/node_root.rs"]
mod node_root;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn nodes() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nodes")
}

/// The component rules (control-plane flags and files, the kubelet, file modes): the
/// expectations cover all of them.
const COMPONENT_RULES: &str = "K4";

/// The report of `rampart node` with the component rules on the prepared root, one line per
/// finding
/// (`path:line:column code severity pointer message`) then one per error, with the temporary
/// root left out of paths; `None` without root.
fn node_report(name: &str) -> Option<String> {
    let modes = nodes().join(format!("{name}.modes"));
    let root = node_root::prepare(
        &nodes().join(name),
        Some(modes.as_path()).filter(|m| m.exists()),
    )?;
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .args([
            "node",
            "--select",
            "K4",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .arg("--root")
        .arg(root.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let prefix = root.path().to_string_lossy().into_owned();
    let mut lines = String::new();
    for finding in report["findings"].as_array().unwrap() {
        let location = &finding["location"];
        lines.push_str(&format!(
            "{}:{}:{} {} {} {} {}\n",
            location["path"].as_str().unwrap(),
            location["line"],
            location["column"],
            finding["code"].as_str().unwrap(),
            finding["severity"].as_str().unwrap(),
            finding["pointer"].as_str().unwrap(),
            finding["message"].as_str().unwrap(),
        ));
    }
    for error in report["errors"].as_array().unwrap() {
        lines.push_str(&format!(
            "error {}:{} {}\n",
            error["path"].as_str().unwrap(),
            error["line"],
            error["message"].as_str().unwrap()
        ));
    }
    Some(lines.replace(&prefix, ""))
}

#[test]
fn kubeadm_default_control_plane() {
    if let Some(report) = node_report("kubeadm") {
        insta::assert_snapshot!(report);
    }
}

#[test]
fn hardened_control_plane_has_no_findings() {
    if let Some(report) = node_report("hardened") {
        assert_eq!(report, "");
    }
}

#[test]
fn k3s_config_dir_kubelet() {
    if let Some(report) = node_report("k3s") {
        insta::assert_snapshot!(report);
    }
}

#[test]
fn running_kubelet_flags_override_its_config_file() {
    if let Some(report) = node_report("override") {
        insta::assert_snapshot!(report);
    }
}

#[test]
fn scan_reads_a_node_root_as_node_does() {
    let Some(root) = node_root::prepare(
        &nodes().join("kubeadm"),
        Some(&nodes().join("kubeadm.modes")),
    ) else {
        return;
    };
    let run = |args: &[&str]| {
        let output = Command::cargo_bin("rampart")
            .unwrap()
            .env_remove("CI")
            .args(args)
            .args([
                "--select",
                COMPONENT_RULES,
                "--format",
                "json",
                "--fail-on",
                "never",
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"].clone()
    };
    let path = root.path().to_str().unwrap();
    let node = run(&["node", "--root", path]);
    assert!(node.as_array().unwrap().len() > 10, "{node}");
    assert_eq!(run(&["scan", path]), node);
}

#[test]
fn a_root_that_is_not_a_node_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .args(["node", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("does not look like a Kubernetes node"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn scan_judges_a_loose_kubelet_configuration_as_a_kubelet_started_with_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kubelet-config.yaml"),
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n",
    )
    .unwrap();
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .current_dir(dir.path())
        .args(["scan", ".", "--select", "K433", "--format", "json"])
        .output()
        .unwrap();
    // K433 is medium, below the default threshold.
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["location"]["path"], "kubelet-config.yaml");
    assert_eq!(findings[0]["location"]["line"], 3);
    assert_eq!(findings[0]["pointer"], "/readOnlyPort");
    let subject = serde_json::json!({
        "platform": "node", "kind": "file", "scope": null, "name": "kubelet-config.yaml"
    });
    assert_eq!(findings[0]["subject"], subject);
}
