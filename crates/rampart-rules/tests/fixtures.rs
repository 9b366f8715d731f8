//! Every rule has a fixture that must trigger it and one that must not, under
//! `fixtures/<CODE>/`, and the findings on them are snapshot-tested. A rule may read options
//! from `fixtures/<CODE>/options.toml` (the `[options]` table of `rampart.toml`).

use std::fmt::Write;
use std::path::Path;

use rampart_rules::{Rule, RuleOptions, registry, run, superseding};
use rampart_source::{Inventory, Limits, parse_text};

fn findings_on(rule: Rule, path: &Path, options: &RuleOptions) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let shown = format!(
        "{}",
        path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display()
    );
    let shown = shown.trim_start_matches('/');
    let (objects, errors) = parse_text(shown, &text, &Limits::default());
    assert!(errors.is_empty(), "{shown}: {errors:?}");
    assert!(!objects.is_empty(), "{shown}: no Kubernetes object");
    let inventory = Inventory {
        objects,
        ..Inventory::default()
    };
    // The rule runs beside the rules that take precedence over it, as in a full scan, and
    // only its own findings count.
    let code = rule.meta().code;
    let rules: Vec<_> = std::iter::once(rule).chain(superseding(code)).collect();
    let (mut findings, errors) = run(&inventory, &rules, options);
    assert!(errors.is_empty(), "{shown}: {errors:?}");
    findings.retain(|f| f.rule.code == code);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
        .iter()
        .map(|f| {
            let object = f
                .object
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let mut line = format!(
                "{}:{}:{} {} {} [{}] {} {}",
                f.location.path,
                f.location.line,
                f.location.column,
                f.rule.code,
                f.severity,
                object,
                f.pointer,
                f.message
            );
            // Evidence, one indented line per item.
            for item in &f.evidence {
                line.push_str(&format!("\n    {}: {}", item.label, item.value));
                if let Some(at) = &item.location {
                    line.push_str(&format!(" ({}:{}:{})", at.path, at.line, at.column));
                }
            }
            line
        })
        .collect()
}

#[test]
fn every_rule_triggers_on_its_fixture_and_passes_the_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut problems = Vec::new();
    for rule in registry() {
        let code = rule.meta().code;
        let dir = root.join(code);
        let options = match std::fs::read_to_string(dir.join("options.toml")) {
            Ok(text) => {
                toml::from_str(&text).unwrap_or_else(|e| panic!("{code}/options.toml: {e}"))
            }
            Err(_) => RuleOptions::default(),
        };
        let (trigger, pass) = (dir.join("trigger.yaml"), dir.join("pass.yaml"));
        if !trigger.exists() || !pass.exists() {
            problems.push(format!(
                "{code}: needs fixtures/{code}/trigger.yaml and pass.yaml"
            ));
            continue;
        }
        let triggered = findings_on(*rule, &trigger, &options);
        let passed = findings_on(*rule, &pass, &options);
        if triggered.is_empty() {
            problems.push(format!("{code}: trigger.yaml produced no finding"));
        }
        if !passed.is_empty() {
            problems.push(format!(
                "{code}: pass.yaml produced findings:\n  {}",
                passed.join("\n  ")
            ));
        }
        let mut snapshot = String::new();
        for line in &triggered {
            writeln!(snapshot, "{line}").unwrap();
        }
        insta::assert_snapshot!(code, snapshot);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
