//! A finding with evidence (the policy that allows a connection, the peer, the ports) shows it
//! in every format; findings without evidence are rendered as before (the golden files of the
//! other tests).

use rampart_core::{Evidence, Finding, Report};
use rampart_report::{Format, RenderOptions, render};
use serde_json::Value;

use crate::fixture::{self, at, object};
use crate::sarif::assert_valid_sarif;

fn report() -> Report {
    let mut finding = Finding::new(
        &fixture::NO_NETWORK_POLICY,
        "TCP 5432 is reachable from other namespaces".into(),
        at("deploy/db.yaml", 4, 3),
        object("StatefulSet", Some("shop"), "db"),
        "".into(),
    );
    finding.evidence = vec![
        Evidence {
            label: "policy",
            value: "NetworkPolicy shop/allow-all".into(),
            location: Some(at("deploy/policies.yaml", 12, 5)),
        },
        Evidence {
            label: "ports",
            value: "TCP 5432".into(),
            location: None,
        },
    ];
    Report::new(vec![finding], Vec::new(), 2, 2)
}

fn rendered(format: Format) -> String {
    let mut out = Vec::new();
    render(
        &report(),
        &fixture::registry(),
        format,
        &RenderOptions::default(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn table_lists_evidence_under_the_finding() {
    let table = rendered(Format::Table);
    assert!(
        table.contains(
            "   = policy: NetworkPolicy shop/allow-all (deploy/policies.yaml:12:5)\n   = ports: TCP 5432\n   = rule: namespace-without-network-policy\n"
        ),
        "{table}"
    );
}

#[test]
fn json_carries_evidence_after_the_pointer() {
    let text = rendered(Format::Json);
    let position = |key: &str| text.find(&format!("\"{key}\":")).unwrap();
    assert!(position("pointer") < position("evidence"));
    assert!(position("evidence") < position("references"));
    let json: Value = serde_json::from_str(&text).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(
        finding["evidence"],
        serde_json::json!([
            {"label": "policy", "value": "NetworkPolicy shop/allow-all",
             "location": {"path": "deploy/policies.yaml", "line": 12, "column": 5}},
            {"label": "ports", "value": "TCP 5432"}
        ])
    );
}

#[test]
fn sarif_relates_the_policy_location_and_keeps_all_evidence_in_properties() {
    let log: Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap();
    assert_valid_sarif(&log);
    let result = &log["runs"][0]["results"][0];
    let related = result["relatedLocations"].as_array().unwrap();
    assert_eq!(
        related.len(),
        1,
        "only evidence with a location: {related:?}"
    );
    assert_eq!(
        related[0]["physicalLocation"]["artifactLocation"]["uri"],
        "deploy/policies.yaml"
    );
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 12);
    assert_eq!(
        related[0]["message"]["text"],
        "policy: NetworkPolicy shop/allow-all"
    );
    assert_eq!(result["properties"]["evidence"][1]["value"], "TCP 5432");
}

#[test]
fn junit_describes_evidence_in_the_failure() {
    let xml = rendered(Format::Junit);
    assert!(
        xml.contains("policy: NetworkPolicy shop/allow-all at deploy/policies.yaml:12:5"),
        "{xml}"
    );
    assert!(xml.contains("ports: TCP 5432"), "{xml}");
}
