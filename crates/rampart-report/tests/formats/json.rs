use rampart_report::Format;
use serde_json::{Value, json};

use crate::render_plain;

#[test]
fn json_matches_the_contract() {
    let text = render_plain(Format::Json);
    assert!(
        text.starts_with("{\n  \"schema_version\": 2,\n"),
        "pretty-printed"
    );
    assert!(text.ends_with("}\n"), "one trailing newline");
    let actual: Value = serde_json::from_str(&text).unwrap();

    let privileged_references = json!({
        "pss": ["privileged"],
        "cis": ["5.2.2"],
        "nsa": ["pod-security"],
        "mitre": ["T1611"],
        "cwe": ["CWE-250"],
    });
    let host_network_references = json!({
        "pss": ["hostNamespaces"], "cis": ["5.2.5"],
    });
    let privileged_pointer = "/spec/template/spec/containers/0/securityContext/privileged";
    let web = json!({
        "platform": "kubernetes", "kind": "Deployment", "scope": "shop", "name": "web",
        "version": "apps/v1",
    });
    // Fingerprints as schema 1 wrote them for Kubernetes objects; with the platform for others.
    let expected = json!({
        "schema_version": 2,
        "tool": {"name": "rampart", "version": env!("CARGO_PKG_VERSION")},
        // Sorted by path (byte order: `D` before `d`), line, column.
        "findings": [
            {
                "code": "D101",
                "name": "root-user",
                "severity": "medium",
                "layer": "container",
                "concern": "images",
                "message": "image runs as root: the final stage sets no USER",
                "location": {"path": "Dockerfile", "line": 7, "column": 1},
                "subject": {"platform": "dockerfile", "kind": "Dockerfile", "scope": null, "name": "Dockerfile"},
                "pointer": "/stages/1",
                "references": {"cwe": ["CWE-250"]},
                "equivalents": ["hadolint:DL3002", "trivy:DS-0002"],
                "fingerprint": "a46bc9f7952b4c01",
            },
            {
                "code": "K301",
                "name": "namespace-without-network-policy",
                "severity": "info",
                "layer": "cluster",
                "concern": "networking",
                "message": "namespace `shop` has no NetworkPolicy: every pod accepts all traffic",
                "location": {"path": "deploy/namespace.yaml", "line": 1, "column": 1},
                "subject": {"platform": "kubernetes", "kind": "Namespace", "scope": null, "name": "shop", "version": "v1"},
                "pointer": "",
                "references": {"nsa": ["network-separation"]},
                "equivalents": ["kube-linter:no-network-policy"],
                "fingerprint": "7314db46d6cbe3d8",
            },
            {
                "code": "K103",
                "name": "host-network",
                "severity": "high",
                "layer": "cluster",
                "concern": "workloads",
                "message": "pod shares the host's network namespace",
                "location": {"path": "deploy/web.yaml", "line": 9, "column": 7},
                "subject": web,
                "pointer": "/spec/template/spec/hostNetwork",
                "references": host_network_references,
                "equivalents": ["trivy:KSV-0009"],
                "fingerprint": "2e160972a39a0799",
            },
            {
                "code": "K101",
                "name": "privileged-container",
                "severity": "critical",
                "layer": "cluster",
                "concern": "workloads",
                "message": "container `app` runs privileged",
                "location": {"path": "deploy/web.yaml", "line": 14, "column": 11},
                "subject": web,
                "pointer": privileged_pointer,
                "references": privileged_references,
                "equivalents": ["trivy:KSV-0017", "checkov:CKV_K8S_16"],
                "fingerprint": "26a1014f4589b584",
            },
            {
                "code": "K101",
                "name": "privileged-container",
                "severity": "critical",
                "layer": "cluster",
                "concern": "workloads",
                "message": "container `agent` runs privileged",
                "location": {
                    "path": "helm/rendered.yaml",
                    "line": 30,
                    "column": 15,
                    "template": "agent/templates/daemonset.yaml",
                },
                "subject": {
                    "platform": "kubernetes", "kind": "DaemonSet", "scope": "kube-system",
                    "name": "agent", "version": "apps/v1",
                },
                "pointer": privileged_pointer,
                "references": privileged_references,
                "equivalents": ["trivy:KSV-0017", "checkov:CKV_K8S_16"],
                "fingerprint": "3ac5bf653d1e3d6b",
            },
        ],
        "errors": [
            {"path": "charts/blob.tgz", "line": null, "message": "archive expands past the 64 MiB limit"},
            {"path": "deploy/broken.yaml", "line": 3, "message": "could not parse YAML: unexpected character '<'"},
        ],
        "warnings": [
            {"path": "deploy/rbac.yaml", "line": 12, "message": "RoleBinding shop/read: roleRef names Role reader in namespace shop, which is not in the input; the binding grants nothing until it exists"},
        ],
        "summary": {
            "files": 6,
            "objects": 5,
            "findings": 5,
            "by_severity": {"critical": 2, "high": 1, "medium": 1, "info": 1},
            "errors": 2,
            "warnings": 1,
            "suppressed": 2,
            "suppressed_by": {"baseline": 1, "config: vendored chart": 1},
        },
    });
    assert_eq!(actual, expected);
}

/// Object keys compare unordered above; the documented key order is checked on the text, where
/// pretty-printing puts each nesting level at its own indent.
#[test]
fn json_keys_come_in_the_documented_order() {
    let text = render_plain(Format::Json);
    let keys_at = |indent: usize| -> Vec<String> {
        let prefix = format!("{}\"", " ".repeat(indent));
        text.lines()
            .filter_map(|line| line.strip_prefix(&prefix))
            .filter_map(|rest| rest.split_once("\":").map(|(key, _)| key.to_owned()))
            .collect()
    };
    let finding = [
        "code",
        "name",
        "severity",
        "layer",
        "concern",
        "message",
        "location",
        "subject",
        "pointer",
        "references",
        "equivalents",
        "fingerprint",
    ];
    let error = ["path", "line", "message"];
    // `by_severity` counts run from the least severe, like `Severity`'s order.
    let summary_maps = [
        "info",
        "medium",
        "high",
        "critical",
        "baseline",
        "config: vendored chart",
    ];

    assert_eq!(
        keys_at(2),
        [
            "schema_version",
            "tool",
            "findings",
            "errors",
            "warnings",
            "summary"
        ]
    );
    assert_eq!(
        keys_at(4),
        [
            "name",
            "version",
            "files",
            "objects",
            "findings",
            "by_severity",
            "errors",
            "warnings",
            "suppressed",
            "suppressed_by",
        ]
    );
    let mut nested = finding.repeat(5);
    // Two errors, then one warning: the same shape.
    nested.extend(error.repeat(3));
    nested.extend(summary_maps);
    assert_eq!(keys_at(6), nested);
}
