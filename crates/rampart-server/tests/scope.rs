//! Which rules can judge an object arriving alone, as an admission request brings it: for every
//! rule of Kubernetes objects, its fixtures scanned whole and each of their objects scanned
//! alone must give the same findings exactly when the rule's scope is `Object`. A rule that
//! reads other objects without saying so would judge admission requests wrongly; a rule said
//! to need them that does not would be skipped for nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rampart_core::Report;
use rampart_rules::{Objects, Rule, Scope, registry, superseding};
use rampart_scan::{Config, Inputs, ScanOptions, Scanner};
use rampart_source::{Inventory, Object, Target};

fn fixtures(code: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rampart-rules/fixtures")
        .join(code);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
}

/// `code severity subject pointer` of the rule's findings: what a verdict depends on (a
/// message may name what else the scan saw, as the encryption rules name the API server that
/// reads the file).
fn lines(report: Report, code: &str) -> BTreeSet<String> {
    report
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .map(|f| format!("{code} {} {} {}", f.severity, f.subject, f.pointer))
        .collect()
}

fn scanner(rule: Rule) -> Scanner {
    let code = rule.meta().code;
    let select = std::iter::once(rule)
        .chain(superseding(code))
        .map(|rule| rule.meta().code.to_owned())
        .collect();
    let options = ScanOptions {
        select,
        ..ScanOptions::default()
    };
    Scanner::new(Config::default(), options).unwrap()
}

/// Whether some fixture of the rule gives other findings when its objects are scanned alone.
fn differs_alone(rule: Rule) -> Option<String> {
    let code = rule.meta().code;
    let scanner = scanner(rule);
    for fixture in fixtures(code) {
        let inputs = scanner.read(&[Target::Path(fixture.clone())]).unwrap();
        let whole = lines(scanner.scan(&inputs).unwrap(), code);
        let mut alone = BTreeSet::new();
        for object in inputs.inventory.all::<Object>() {
            let inputs = Inputs::from(Inventory::from(vec![object.clone()]));
            alone.extend(lines(scanner.scan(&inputs).unwrap(), code));
        }
        if whole != alone {
            return Some(format!(
                "{}: whole {:#?}\nalone {:#?}",
                fixture.display(),
                whole,
                alone
            ));
        }
    }
    None
}

#[test]
fn rules_judge_objects_alone_exactly_when_their_scope_says_so() {
    let mut wrong = Vec::new();
    for rule in registry()
        .iter()
        .copied()
        .filter(|r| r.of::<Objects>().is_some())
    {
        let code = rule.meta().code;
        match (rule.scope(), differs_alone(rule)) {
            (Scope::Object, Some(difference)) => {
                wrong.push(format!("{code} reads other objects:\n{difference}"))
            }
            (Scope::Cluster(_), None) => {
                wrong.push(format!("{code} needs no other object in its fixtures"))
            }
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
