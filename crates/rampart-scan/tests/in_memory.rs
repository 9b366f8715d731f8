//! The library scans objects that never were files, as the admission webhook (an object in a
//! request) and the live-cluster reader (objects from the API) will: parsed from strings,
//! scanned through the same entry point as `rampart scan`, every suppression applied.

use rampart_core::Report;
use rampart_scan::{Config, Inputs, ScanOptions, Scanner};
use rampart_source::{Inventory, Limits, parse_text};

/// What an admission request carries: one object, as JSON.
const ADMITTED: &str = r#"{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "agent",
    "namespace": "ops",
    "annotations": {
      "rampart.dev/ignore": "K104 -- node agent, ticket OPS-9"
    }
  },
  "spec": {
    "selector": {
      "matchLabels": {
        "app": "agent"
      }
    },
    "template": {
      "metadata": {
        "labels": {
          "app": "agent"
        }
      },
      "spec": {
        "hostIPC": true,
        "containers": [
          {
            "name": "agent",
            "image": "registry.example/agent:1.0",
            "securityContext": {
              "privileged": true
            }
          }
        ]
      }
    }
  }
}"#;

/// What the cluster already holds, as a live-cluster reader lists it.
const CLUSTER: &str = "
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: everything
rules:
- apiGroups: ['*']
  resources: ['*']
  verbs: ['*']
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 10255
";

fn scan(selection: &[&str]) -> Report {
    let limits = Limits::default();
    let (mut objects, errors) = parse_text("admission/ops/agent", ADMITTED, &limits);
    assert_eq!(errors, []);
    let (cluster, errors) = parse_text("cluster", CLUSTER, &limits);
    assert_eq!(errors, []);
    objects.extend(cluster);
    let options = ScanOptions {
        select: selection.iter().map(|code| code.to_string()).collect(),
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(Config::default(), options).unwrap();
    let inventory = Inventory::from(objects);
    scanner.scan(&Inputs::from(inventory)).unwrap()
}

/// `code subject pointer` of each finding.
fn described(findings: &[rampart_core::Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {} {}", f.rule.code, f.subject.label(), f.pointer))
        .collect()
}

#[test]
fn objects_built_in_memory_are_scanned_like_files() {
    let report = scan(&["K101", "K104", "K201", "K433"]);
    assert_eq!(report.errors, []);
    assert_eq!(report.summary.objects, 3);
    assert_eq!(
        described(&report.findings),
        [
            "K101 Deployment ops/agent /spec/template/spec/containers/0/securityContext/privileged",
            "K201 ClusterRole everything /rules/0/verbs",
            "K433 file cluster /readOnlyPort",
        ]
    );
    // Findings point into the objects as they were given.
    let privileged = &report.findings[0];
    assert_eq!(
        (&*privileged.location.path, privileged.location.line),
        ("admission/ops/agent", 30)
    );
    // The annotation on the admitted object silences its rule there, with its reason.
    assert_eq!(
        described(&report.suppressed),
        ["K104 Deployment ops/agent /spec/template/spec/hostIPC"]
    );
    let suppression = report.suppressed[0].suppression.as_ref().unwrap();
    assert_eq!(
        suppression.reason.as_deref(),
        Some("node agent, ticket OPS-9")
    );
}

#[test]
fn the_selection_decides_which_rules_run() {
    let report = scan(&["K201"]);
    assert_eq!(
        described(&report.findings),
        ["K201 ClusterRole everything /rules/0/verbs"]
    );
    assert!(report.suppressed.is_empty());
}
