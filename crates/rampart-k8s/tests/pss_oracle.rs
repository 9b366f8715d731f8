//! Runs upstream's Pod Security Admission fixtures (`../shared/oracles/pod-security-admission`)
//! through `pss::evaluate`, as Pods and wrapped into the templates of workload kinds.

use std::fs;
use std::path::{Path, PathBuf};

use rampart_k8s::pss::{Evaluation, Level, Version, Violation, check_meta, evaluate};
use rampart_k8s::{pod_template, shape_errors};
use rampart_source::{Limits, Object, parse_text};
use rampart_test_support::shared;
use serde_json::json;

/// One fixture: a pod that must pass, or fail with the check named by its file.
struct Case {
    path: PathBuf,
    /// `path` inside the oracle, as messages name it.
    name: String,
    level: Level,
    version: Version,
    /// The lower-cased id of the check that must fail; `None` for a pass fixture.
    failing_check: Option<String>,
}

fn cases(root: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for level in [Level::Baseline, Level::Restricted] {
        let level_dir = root.join(level.as_str());
        let versions =
            fs::read_dir(&level_dir).unwrap_or_else(|e| panic!("{}: {e}", level_dir.display()));
        for version_dir in versions.map(|entry| entry.unwrap().path()) {
            let name = version_dir
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let version: Version = name
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", version_dir.display()));
            for outcome in ["pass", "fail"] {
                for file in fs::read_dir(version_dir.join(outcome))
                    .unwrap()
                    .map(|entry| entry.unwrap().path())
                {
                    let stem = file.file_stem().unwrap().to_string_lossy();
                    let failing_check = (outcome == "fail").then(|| {
                        stem.trim_end_matches(|c: char| c.is_ascii_digit())
                            .to_owned()
                    });
                    cases.push(Case {
                        name: file.strip_prefix(root).unwrap().display().to_string(),
                        path: file,
                        level,
                        version,
                        failing_check,
                    });
                }
            }
        }
    }
    cases.sort_by(|a, b| a.path.cmp(&b.path));
    cases
}

fn parse_one(path: &str, text: &str) -> Object {
    let (mut objects, errors) = parse_text(path, text, &Limits::default());
    assert!(errors.is_empty(), "{path}: {errors:?}");
    assert_eq!(objects.len(), 1, "{path}");
    objects.remove(0)
}

/// The pod's metadata and spec placed into the pod template of each workload kind, as JSON
/// (which is YAML too).
fn wrapped(pod: &Object) -> Vec<String> {
    let template = json!({
        "metadata": pod.root.get("metadata").map_or(json!({}), |m| m.to_json()),
        "spec": pod.root.get("spec").map_or(json!({}), |s| s.to_json()),
    });
    let metadata = json!({"name": "wrapped"});
    [
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata, "spec": {"template": template}}),
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": metadata, "spec": {"template": template}}),
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": {"template": template}}),
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": metadata,
               "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": template}}}}),
    ]
    .iter()
    .map(|doc| doc.to_string())
    .collect()
}

fn ids(evaluation: &Evaluation) -> Vec<&'static str> {
    evaluation.violations.iter().map(|v| v.check).collect()
}

/// Whether `violation` reports the check `id`, directly or through the restricted check that
/// replaces it at this level.
fn reports(violation: &Violation, id: &str) -> bool {
    violation.check.eq_ignore_ascii_case(id)
        || check_meta(violation.check)
            .and_then(|meta| meta.overrides)
            .is_some_and(|o| o.eq_ignore_ascii_case(id))
}

/// The violations with pointers made relative to the pod template, to compare across kinds.
fn relative(evaluation: &Evaluation, metadata_pointer: &str, spec_pointer: &str) -> Vec<Violation> {
    let mut violations = evaluation.violations.clone();
    for field in violations.iter_mut().flat_map(|v| v.fields.iter_mut()) {
        let pointer = if let Some(rest) = field.pointer.strip_prefix(spec_pointer) {
            format!("<spec>{rest}")
        } else if let Some(rest) = field.pointer.strip_prefix(metadata_pointer) {
            format!("<metadata>{rest}")
        } else {
            format!("<outside the template>{}", field.pointer)
        };
        field.pointer = pointer;
    }
    violations
}

/// Evaluates one fixture as a Pod and wrapped into each workload kind; returns what disagrees.
fn disagreements(case: &Case) -> Vec<String> {
    let path = case.name.as_str();
    let where_ = format!("{path} at {} {}", case.level, case.version);
    let text = fs::read_to_string(&case.path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let pod = parse_one(path, &text);
    let template = pod_template(&pod).unwrap_or_else(|| panic!("{path}: no pod spec"));
    let evaluation = evaluate(&template, case.level, case.version);
    // The upstream pods are all valid API objects, alone or in a workload: the shape check must
    // accept every one.
    let rejections = |object| {
        shape_errors(object)
            .into_iter()
            .map(|error| format!("{path}: the shape check rejects {}", error.message))
    };
    let mut disagreements: Vec<String> = rejections(&pod).collect();
    let agrees = match &case.failing_check {
        None => evaluation.allowed,
        Some(id) => evaluation.violations.iter().any(|v| reports(v, id)),
    };
    if !agrees {
        let expected = case
            .failing_check
            .as_deref()
            .map_or("allowed".to_owned(), |id| format!("denied by {id}"));
        disagreements.push(format!(
            "{where_}: expected {expected}, got {:?}: {}",
            ids(&evaluation),
            evaluation.message()
        ));
    }

    for violation in evaluation.violations.iter().filter(|v| v.fields.is_empty()) {
        disagreements.push(format!(
            "{where_}: {} names no offending field",
            violation.check
        ));
    }

    let as_pod = relative(
        &evaluation,
        template.metadata_pointer,
        template.spec_pointer,
    );
    let (workloads, errors) = parse_text(path, &wrapped(&pod).join("\n---\n"), &Limits::default());
    assert!(
        errors.is_empty() && workloads.len() == 4,
        "{path}: wrapping failed: {errors:?}"
    );
    for workload in &workloads {
        disagreements.extend(rejections(workload));
        let template = pod_template(workload)
            .unwrap_or_else(|| panic!("{path}: no {} template", workload.kind));
        let wrapped = evaluate(&template, case.level, case.version);
        if relative(&wrapped, template.metadata_pointer, template.spec_pointer) != as_pod {
            disagreements.push(format!(
                "{where_} as a {}: expected the Pod's violations {:?}, got {:?}: {}",
                workload.kind,
                ids(&evaluation),
                ids(&wrapped),
                wrapped.message()
            ));
        }
    }
    disagreements
}

#[test]
fn upstream_fixtures_agree_at_every_level_and_version() {
    let Some(root) = shared("oracles/pod-security-admission") else {
        return;
    };
    let cases = cases(&root);
    assert!(
        cases.len() > 4000,
        "found only {} fixtures under {}",
        cases.len(),
        root.display()
    );
    let failing = cases
        .iter()
        .filter(|case| case.failing_check.is_some())
        .count();
    let mismatches: Vec<String> = cases.iter().flat_map(disagreements).collect();
    println!(
        "{} fixtures ({} pass, {failing} fail), each also as 4 workload kinds: {} mismatches",
        cases.len(),
        cases.len() - failing,
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} disagreements with upstream over {} fixtures:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
