//! Every Pod Security Standards check is covered by a rule, so a check added upstream (and to
//! `rampart_k8s::pss`) cannot go unreported by `rampart scan`; and the PSS rules together
//! report exactly the fields the Baseline and Restricted evaluations name, each once, so
//! `rampart scan` and `rampart pss` cannot disagree. (Both levels are needed: a restricted
//! check that replaces a baseline one can exempt pods the baseline one fails, e.g. Windows
//! pods adding capabilities fail Baseline but not Restricted.) The controls rampart-core
//! titles references with are the same checks.

use std::collections::BTreeSet;
use std::path::Path;

use rampart_core::{Framework, PSS_CONTROLS};
use rampart_k8s::pod_template;
use rampart_k8s::pss::{CHECKS, Level, Version, check_meta, evaluate};
use rampart_rules::{Rule, RuleOptions, registry, run};
use rampart_source::{Inventory, Limits, parse_text};

#[test]
fn every_pss_check_is_referenced_by_a_rule() {
    let referenced: BTreeSet<&str> = registry()
        .iter()
        .flat_map(|rule| rule.meta().references.ids(Framework::Pss))
        .collect();
    let uncovered: Vec<&str> = CHECKS
        .iter()
        .map(|check| check.id)
        .filter(|id| !referenced.contains(id))
        .collect();
    assert!(
        uncovered.is_empty(),
        "Pod Security Standards checks no rule references in `references.pss`: {uncovered:?}"
    );
}

#[test]
fn every_pss_reference_names_a_check() {
    for rule in registry() {
        let meta = rule.meta();
        for id in meta.references.ids(Framework::Pss) {
            let check =
                check_meta(id).unwrap_or_else(|| panic!("{}: unknown PSS check `{id}`", meta.code));
            assert_eq!(check.id, id, "{}: spell `{id}` as upstream does", meta.code);
        }
    }
}

#[test]
fn pss_controls_in_core_match_the_checks() {
    let controls: Vec<(&str, String, &str)> = PSS_CONTROLS
        .iter()
        .map(|control| (control.id, control.level.to_lowercase(), control.title))
        .collect();
    let checks: Vec<(&str, String, &str)> = CHECKS
        .iter()
        .map(|check| (check.id, check.level.to_string(), check.title))
        .collect();
    assert_eq!(
        controls, checks,
        "rampart_core::PSS_CONTROLS (id, level, title) must list rampart_k8s::pss::CHECKS"
    );
}

/// Every YAML file under `fixtures/`, whichever rule it was written for.
fn fixture_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fixture_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "yaml") {
            files.push(path);
        }
    }
}

#[test]
fn pss_rules_report_each_violation_field_once() {
    let pss_rules: Vec<Rule> = registry()
        .iter()
        .copied()
        .filter(|rule| rule.meta().references.ids(Framework::Pss).next().is_some())
        .collect();
    let mut files = Vec::new();
    fixture_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    files.sort();
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let (objects, _) = parse_text(&path.display().to_string(), &text, &Limits::default());
        for object in objects {
            let expected: BTreeSet<String> = pod_template(&object)
                .map(|pod| {
                    [Level::Baseline, Level::Restricted]
                        .into_iter()
                        .flat_map(|level| evaluate(&pod, level, Version::LATEST).violations)
                        .flat_map(|violation| violation.fields)
                        .map(|field| field.pointer)
                        .collect()
                })
                .unwrap_or_default();
            let name = format!("{}: {}", path.display(), object.subject());
            let inventory = Inventory::from(vec![object]);
            let (findings, _) = run(&inventory, &pss_rules, &RuleOptions::default());
            let mut reported = BTreeSet::new();
            for finding in &findings {
                assert!(
                    reported.insert(finding.pointer.to_string()),
                    "{name}: {} reported twice (again by {})",
                    finding.pointer,
                    finding.rule.code
                );
            }
            assert_eq!(
                reported, expected,
                "{name}: PSS rules and the Baseline and Restricted evaluations disagree"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} objects checked");
}
