use std::path::Path;

use rampart_core::Report;
use rampart_report::{Format, RenderOptions, render};
use rampart_rules::{RuleOptions, registry, run};
use rampart_source::{Limits, LoadOptions, Object, Target, load, parse_text};
use rampart_test_support::shared;
use serde_json::{Value, json};

use crate::{fixture, render_plain};

fn sarif() -> Value {
    serde_json::from_str(&render_plain(Format::Sarif)).unwrap()
}

/// SARIF 2.1.0's schema, from `../shared/schemas`; `None` (the check skipped) without it.
fn official_schema() -> Option<jsonschema::Validator> {
    let path = shared("schemas/sarif-schema-2.1.0.json")?;
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    escape_stray_brackets(&mut schema);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    Some(validator)
}

/// Asserts that `log` is valid SARIF 2.1.0, when the official schema is at hand.
pub fn assert_valid_sarif(log: &Value) {
    if let Some(validator) = official_schema() {
        assert_eq!(schema_errors(&validator, log), Vec::<String>::new());
    }
}

/// The schema's `language` patterns end in a stray `]`: a literal in ECMA-262 regexes, an error
/// for the Rust engine that checks the schema. `\]` means the same literal and compiles.
fn escape_stray_brackets(schema: &mut Value) {
    const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "pattern" && *value == STRAY {
                    *value = json!(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$");
                } else {
                    escape_stray_brackets(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(escape_stray_brackets),
        _ => {}
    }
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let Some(validator) = official_schema() else {
        return;
    };
    assert_eq!(schema_errors(&validator, &sarif()), Vec::<String>::new());

    // The validator is not vacuous: it rejects a log that breaks the schema.
    let mut broken = sarif();
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    broken["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert_eq!(schema_errors(&validator, &broken).len(), 2);
}

#[test]
fn sarif_describes_every_registry_rule() {
    let log = sarif();
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "rampart");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["D101", "K101", "K103", "K201", "K301"]);

    let privileged = &rules[1];
    assert_eq!(privileged["name"], "privileged-container");
    assert_eq!(
        privileged["shortDescription"]["text"],
        "Container runs privileged"
    );
    assert_eq!(
        privileged["fullDescription"]["markdown"],
        "Containers with `securityContext.privileged: true`."
    );
    assert_eq!(
        privileged["help"]["markdown"],
        fixture::PRIVILEGED.documentation()
    );
    let help_text = privileged["help"]["text"].as_str().unwrap();
    assert!(
        help_text.starts_with("What it checks\nContainers with"),
        "{help_text}"
    );
    assert!(
        help_text.contains("\n    securityContext:\n      privileged: true\n"),
        "{help_text}"
    );
    assert!(
        !help_text.contains("```") && !help_text.contains("## "),
        "{help_text}"
    );
    assert_eq!(privileged["defaultConfiguration"]["level"], "error");
    assert_eq!(
        privileged["properties"],
        json!({
            "tags": [
                "security", "cluster", "workloads", "pss:privileged", "cis:5.2.2",
                "nsa:pod-security", "mitre:T1611", "external/cwe/cwe-250",
            ],
            "security-severity": "9.5",
        })
    );

    // A rule without documentation still has descriptions and help.
    let wildcard = &rules[3];
    assert_eq!(
        wildcard["fullDescription"]["text"],
        "Role grants every verb or resource"
    );
    assert_eq!(
        wildcard["help"]["text"],
        "Role grants every verb or resource"
    );
    let severities: Vec<&str> = rules
        .iter()
        .map(|rule| rule["properties"]["security-severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["5.5", "9.5", "8.0", "8.0", "1.0"]);
}

#[test]
fn sarif_results_point_at_rules_locations_and_fingerprints() {
    let log = sarif();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let report = fixture::report();
    assert_eq!(results.len(), report.findings.len());

    for (result, finding) in results.iter().zip(&report.findings) {
        assert_eq!(result["ruleId"], finding.rule.code);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], finding.rule.code);
        assert_eq!(
            result["partialFingerprints"],
            json!({"rampart/v1": finding.fingerprint})
        );
        assert_eq!(result["message"]["text"], &*finding.message);
    }
    let indexes: Vec<u64> = results
        .iter()
        .map(|r| r["ruleIndex"].as_u64().unwrap())
        .collect();
    assert_eq!(indexes, [0, 4, 2, 1, 1]);
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["warning", "note", "error", "error", "error"]);

    assert_eq!(
        results[3]["locations"],
        json!([{
            "physicalLocation": {
                "artifactLocation": {"uri": "deploy/web.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 14, "startColumn": 11},
            },
            "logicalLocations": [{
                "name": "web",
                "fullyQualifiedName": "Deployment shop/web",
                "kind": "resource",
            }],
        }])
    );
    assert_eq!(
        results[0]["locations"][0].get("logicalLocations"),
        None,
        "no object"
    );
    assert_eq!(
        results[4]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "agent/templates/daemonset.yaml"
    );
    assert_eq!(results[3].get("relatedLocations"), None, "no template");
}

#[test]
fn sarif_reports_errors_and_warnings_as_notifications() {
    let log = sarif();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert_eq!(
        invocation["toolExecutionNotifications"],
        json!([
            {
                "level": "error",
                "message": {"text": "archive expands past the 64 MiB limit"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "charts/blob.tgz", "uriBaseId": "%SRCROOT%"},
                }}],
            },
            {
                "level": "error",
                "message": {"text": "could not parse YAML: unexpected character '<'"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "deploy/broken.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 3},
                }}],
            },
            {
                "level": "warning",
                "message": {"text": "RoleBinding shop/read: roleRef names Role reader in namespace shop, which is not in the input; the binding grants nothing until it exists"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "deploy/rbac.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 12},
                }}],
            },
        ])
    );
}

/// A real scan: the demo shop and a Helm stream read from standard input, through the loader
/// and every registered rule, not the hand-made fixture.
fn real_scan() -> Value {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let options = LoadOptions::default();
    let mut inventory = load(&[Target::Path(repo.join("examples/shop"))], &options).unwrap();
    let stream = "---\n# Source: shop/templates/pod.yaml\napiVersion: v1\nkind: Pod\n\
                  metadata: {name: web, namespace: shop}\nspec:\n  containers:\n  - {name: web, image: web:1}\n";
    let (objects, errors) = parse_text("-", stream, &Limits::default());
    inventory.extend(objects);
    inventory.errors.extend(errors);
    let (findings, errors) = run(&inventory, registry(), &RuleOptions::default());
    let objects = inventory.all::<Object>().len();
    let report = Report::new(findings, errors, inventory.files, objects);
    let metas: Vec<_> = registry().iter().map(|rule| rule.meta()).collect();
    let mut out = Vec::new();
    render(
        &report,
        &metas,
        Format::Sarif,
        &RenderOptions::default(),
        &mut out,
    )
    .unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn sarif_of_a_real_scan_validates_and_names_openable_files() {
    let log = real_scan();
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 20);
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(!uris.contains(&"-"), "standard input is no file: {uris:?}");
    assert!(uris.contains(&"shop/templates/pod.yaml"));
}
