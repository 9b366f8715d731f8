//! Every rule has a fixture that must trigger it and one that must not, under
//! `fixtures/<CODE>/`, and the findings on them are snapshot-tested. A rule may read options
//! from `fixtures/<CODE>/options.toml` (the `[options]` table of `rampart.toml`).
//!
//! Object rules read `trigger.yaml` and `pass.yaml`, or the folders `trigger/` and `pass/`
//! when they compare workloads with the Dockerfiles that build their images. Dockerfile rules read
//! `trigger.Dockerfile` and `pass.Dockerfile` through discovery, so a `<name>.dockerignore`
//! beside them counts. Node rules read either a `KubeletConfiguration` in `trigger.yaml` and
//! `pass.yaml` (a kubelet started with that `--config`), or node roots in the folders
//! `trigger/` and `pass/`, whose files get the modes and owners `trigger.modes` and
//! `pass.modes` list (see `support/node_root.rs`). Image rules read image descriptions,
//! `trigger.toml` and `pass.toml` (see `rampart_image::build`), that the test builds into OCI
//! layouts in a temporary folder, so no binary archive is committed.

mod support;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use rampart_core::Finding;
use rampart_k8s::node::NodeModel;
use rampart_rules::{
    Rule, RuleOptions, image_capture, registry, run, run_image, run_node, superseding,
};
use rampart_source::{Inventory, Limits, LoadOptions, Target, load, parse_stream, parse_text};

use support::node_root;

/// A fixture path as snapshots show it: relative to the crate.
fn shown(path: &Path) -> String {
    let shown = format!(
        "{}",
        path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display()
    );
    shown.trim_start_matches('/').to_owned()
}

/// The findings of a node rule on a fixture: a `KubeletConfiguration` file or a node root
/// folder. `None` when the root needs modes and owners this process cannot give.
fn node_findings_on(rule: Rule, path: &Path, options: &RuleOptions) -> Option<Vec<String>> {
    let shown_path = shown(path);
    let node = if path.is_dir() {
        let modes = path.with_extension("modes");
        let prepared = match modes.exists() {
            true => Some(node_root::prepare(path, Some(&modes))?),
            false => None,
        };
        let root: PathBuf = prepared
            .as_ref()
            .map_or_else(|| path.to_owned(), |dir| dir.path().to_owned());
        let mut node = NodeModel::read(&root, &Limits::default())
            .unwrap_or_else(|e| panic!("{shown_path}: {e}"));
        node.shown_root = shown_path.clone();
        node
    } else {
        let text = std::fs::read_to_string(path).unwrap();
        let (mut documents, error) = parse_stream(&text, &Limits::default());
        assert!(error.is_none(), "{shown_path}: {error:?}");
        NodeModel::of_kubelet_config(&shown_path, documents.remove(0).root)
    };
    let (findings, errors) = run_node(&node, &[rule], options);
    assert!(errors.is_empty(), "{shown_path}: {errors:?}");
    Some(lines(findings))
}

/// The fixture read as a scan reads it.
fn inventory_of(rule: Rule, path: &Path) -> Inventory {
    let shown = shown(path);
    let shown = shown.as_str();
    if path.is_dir() {
        // Tests run in the crate's folder: the relative path is the one shown.
        let inventory = load(&[Target::Path(shown.into())], &LoadOptions::default()).unwrap();
        assert!(
            inventory.errors.is_empty(),
            "{shown}: {:?}",
            inventory.errors
        );
        return inventory;
    }
    if let Rule::Dockerfile(_) = rule {
        // Tests run in the crate's folder: the relative path is the one shown.
        let inventory = load(&[Target::Path(shown.into())], &LoadOptions::default()).unwrap();
        assert!(
            inventory.errors.is_empty(),
            "{shown}: {:?}",
            inventory.errors
        );
        assert_eq!(
            inventory.dockerfiles.len(),
            1,
            "{shown}: not read as a Dockerfile"
        );
        return inventory;
    }
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (objects, errors) = parse_text(shown, &text, &Limits::default());
    assert!(errors.is_empty(), "{shown}: {errors:?}");
    assert!(!objects.is_empty(), "{shown}: no Kubernetes object");
    Inventory {
        objects,
        ..Inventory::default()
    }
}

fn findings_on(rule: Rule, path: &Path, options: &RuleOptions) -> Vec<String> {
    let shown = shown(path);
    let inventory = inventory_of(rule, path);
    // The rule runs beside the rules that take precedence over it, as in a full scan, and
    // only its own findings count.
    let code = rule.meta().code;
    let rules: Vec<_> = std::iter::once(rule).chain(superseding(code)).collect();
    let (mut findings, errors) = run(&inventory, &rules, options);
    assert!(errors.is_empty(), "{shown}: {errors:?}");
    findings.retain(|f| f.rule.code == code);
    lines(findings)
}

/// Builds the described image as an OCI layout and runs the rule on it.
fn image_findings_on(rule: Rule, path: &Path, options: &RuleOptions) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = rampart_image::build::ImageSpec::parse(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let dir = tempfile::tempdir().unwrap();
    rampart_image::build::write_layout(&spec, dir.path()).unwrap();
    let rules = [rule];
    let capture = image_capture(&rules);
    let limits = rampart_image::Limits::default();
    let read = rampart_image::ReadOptions {
        limits: &limits,
        platform: None,
        capture: &capture,
    };
    let images = rampart_image::read_path(dir.path(), &read)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut findings = Vec::new();
    for image in &images {
        let (found, errors) = run_image(image, &shown(path), &rules, options);
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        findings.extend(found);
    }
    lines(findings)
}

/// One line per finding, in report order:
/// `path:line:column code severity [object] pointer message`.
fn lines(mut findings: Vec<Finding>) -> Vec<String> {
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
        let (trigger, pass) = match rule {
            Rule::Node(_) if dir.join("trigger").is_dir() => {
                (dir.join("trigger"), dir.join("pass"))
            }
            Rule::Image(_) => (dir.join("trigger.toml"), dir.join("pass.toml")),
            Rule::Dockerfile(_) => (dir.join("trigger.Dockerfile"), dir.join("pass.Dockerfile")),
            // Workloads with the Dockerfiles that build their images.
            Rule::Object(_) if dir.join("trigger").is_dir() => {
                (dir.join("trigger"), dir.join("pass"))
            }
            _ => (dir.join("trigger.yaml"), dir.join("pass.yaml")),
        };
        let name = |path: &Path| path.file_name().unwrap().to_string_lossy().into_owned();
        if !trigger.exists() || !pass.exists() {
            problems.push(format!(
                "{code}: needs fixtures/{code}/trigger.yaml and pass.yaml (or folders trigger/ and pass/ with Dockerfiles beside; trigger.Dockerfile and pass.Dockerfile for a Dockerfile rule; trigger/ and pass/ node roots for a node rule; trigger.toml and pass.toml for an image rule)"
            ));
            continue;
        }
        let (triggered, passed) = match rule {
            Rule::Node(_) => match (
                node_findings_on(*rule, &trigger, &options),
                node_findings_on(*rule, &pass, &options),
            ) {
                (Some(triggered), Some(passed)) => (triggered, passed),
                _ => continue,
            },
            Rule::Object(_) | Rule::Dockerfile(_) => (
                findings_on(*rule, &trigger, &options),
                findings_on(*rule, &pass, &options),
            ),
            Rule::Image(_) => (
                image_findings_on(*rule, &trigger, &options),
                image_findings_on(*rule, &pass, &options),
            ),
        };
        if triggered.is_empty() {
            problems.push(format!("{code}: {} produced no finding", name(&trigger)));
        }
        if !passed.is_empty() {
            problems.push(format!(
                "{code}: {} produced findings:\n  {}",
                name(&pass),
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
