//! Whole control planes, one static pod manifest per file as kubeadm writes them to
//! `/etc/kubernetes/manifests`, give exactly their expected component (`K4xx`) findings: a
//! kubeadm default one fails the checks kube-bench fails it on, a hardened one passes.

use std::path::Path;

use rampart_rules::{RuleOptions, registry, run};
use rampart_source::{Inventory, Limits, parse_text};

/// The `K4xx` findings on the manifests of `fixtures/control-plane/<plane>/`, one line each:
/// `file:line code severity pointer message`.
fn component_findings(plane: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/control-plane")
        .join(plane);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    let mut objects = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(path).unwrap();
        let (parsed, errors) = parse_text(&name, &text, &Limits::default());
        assert!(errors.is_empty(), "{name}: {errors:?}");
        objects.extend(parsed);
    }
    let inventory = Inventory::from(objects);
    let rules: Vec<_> = registry()
        .iter()
        .copied()
        .filter(|rule| rule.meta().code.starts_with("K4"))
        .collect();
    let (mut findings, errors) = run(&inventory, &rules, &RuleOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {} {} {}\n",
                f.location.path, f.location.line, f.rule.code, f.severity, f.pointer, f.message
            )
        })
        .collect()
}

#[test]
fn kubeadm_default_control_plane() {
    insta::assert_snapshot!(component_findings("kubeadm"));
}

#[test]
fn hardened_control_plane_passes() {
    assert_eq!(component_findings("hardened"), "");
}
