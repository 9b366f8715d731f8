//! Every rule has a fixture that must trigger it and one that must not, under
//! `fixtures/<CODE>/`, and the findings on them are snapshot-tested. A rule may read options
//! from `fixtures/<CODE>/options.toml` (the `[options]` table of `rampart.toml`).
//!
//! A fixture is `trigger.<ext>` and `pass.<ext>`, or the folders `trigger/` and `pass/`,
//! read as a scan reads them, whatever kind of rule it is for: Kubernetes objects in
//! `.yaml` (a `KubeletConfiguration` there is also a kubelet started with it), Dockerfiles
//! in `.Dockerfile` through discovery (so a `<name>.dockerignore` beside them counts), image
//! descriptions in `.toml` (see `rampart_image::build`) that the test builds into OCI layouts
//! in a temporary folder, so no binary archive is committed. A folder is a node's root when
//! it looks like one, its files getting the modes and owners `trigger.modes` and
//! `pass.modes` list (see `support/node_root.rs`); else it is read through discovery
//! (workloads with the Dockerfiles that build their images).

mod support;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use rampart_core::Finding;
use rampart_image::Image;
use rampart_k8s::node::NodeModel;
use rampart_k8s::provenance::ImageMapping;
use rampart_rules::{
    ImageInput, Inputs, Rule, RuleOptions, image_capture, image_links, image_mapping, registry,
    run_inputs, superseding,
};
use rampart_source::{
    Dockerfile, Inventory, Limits, LoadOptions, Object, Target, load, parse_text,
};
use tempfile::TempDir;

use support::node_root;

/// The names a fixture may have, tried in this order.
const FIXTURE_NAMES: [&str; 4] = ["", ".yaml", ".Dockerfile", ".toml"];

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

/// A fixture read as a scan reads it, into the inputs of every kind.
#[derive(Default)]
struct Prepared {
    inventory: Inventory,
    nodes: Vec<NodeModel>,
    images: Vec<Image>,
    /// Node roots given modes and owners.
    _folders: Option<TempDir>,
}

impl Prepared {
    /// `None` when a node root needs modes and owners this process cannot give.
    fn of(path: &Path, rules: &[Rule]) -> Option<Prepared> {
        let shown = shown(path);
        let extension = path.extension().and_then(|e| e.to_str());
        let prepared = if path.is_dir() && NodeModel::is_node_root(path) {
            Prepared::node_root(path, &shown)?
        } else if path.is_dir() || extension == Some("Dockerfile") {
            Prepared::discovered(&shown)
        } else if extension == Some("toml") {
            Prepared::image(path, rules)
        } else {
            Prepared::manifests(path, &shown)
        };
        Some(prepared)
    }

    fn node_root(path: &Path, shown: &str) -> Option<Prepared> {
        let modes = path.with_extension("modes");
        let folders = match modes.exists() {
            true => Some(node_root::prepare(path, Some(&modes))?),
            false => None,
        };
        let root: PathBuf = folders
            .as_ref()
            .map_or_else(|| path.to_owned(), |dir| dir.path().to_owned());
        let mut node =
            NodeModel::read(&root, &Limits::default()).unwrap_or_else(|e| panic!("{shown}: {e}"));
        node.shown_root = shown.to_owned();
        Some(Prepared {
            nodes: vec![node],
            _folders: folders,
            ..Prepared::default()
        })
    }

    fn discovered(shown: &str) -> Prepared {
        // Tests run in the crate's folder: the relative path is the one shown.
        let inventory = load(&[Target::Path(shown.into())], &LoadOptions::default()).unwrap();
        assert!(
            inventory.errors.is_empty(),
            "{shown}: {:?}",
            inventory.errors
        );
        assert!(
            !inventory.all::<Object>().is_empty() || !inventory.all::<Dockerfile>().is_empty(),
            "{shown}: nothing read"
        );
        Prepared {
            inventory,
            ..Prepared::default()
        }
    }

    /// Builds the described image as an OCI layout and reads it back.
    fn image(path: &Path, rules: &[Rule]) -> Prepared {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let spec = rampart_image::build::ImageSpec::parse(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let dir = tempfile::tempdir().unwrap();
        rampart_image::build::write_layout(&spec, dir.path()).unwrap();
        let capture = image_capture(rules);
        let limits = rampart_image::Limits::default();
        let read = rampart_image::ReadOptions {
            limits: &limits,
            platform: None,
            capture: &capture,
        };
        let images = rampart_image::read_path(dir.path(), &read)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Prepared {
            images,
            ..Prepared::default()
        }
    }

    fn manifests(path: &Path, shown: &str) -> Prepared {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (objects, errors) = parse_text(shown, &text, &Limits::default());
        assert!(errors.is_empty(), "{shown}: {errors:?}");
        assert!(!objects.is_empty(), "{shown}: no Kubernetes object");
        let nodes = objects
            .iter()
            .filter(|object| object.kind == "KubeletConfiguration")
            .map(|object| NodeModel::of_kubelet_config(&object.path, object.root.clone()))
            .collect();
        Prepared {
            inventory: Inventory::from(objects),
            nodes,
            ..Prepared::default()
        }
    }
}

/// The findings of `rule` on a fixture, run beside the rules that take precedence over it, as
/// in a full scan. `None` when the fixture cannot be prepared here.
fn findings_on(rule: Rule, path: &Path, options: &RuleOptions) -> Option<Vec<String>> {
    let shown = shown(path);
    let code = rule.meta().code;
    let rules: Vec<_> = std::iter::once(rule).chain(superseding(code)).collect();
    let prepared = Prepared::of(path, &rules)?;
    let (mapping, mut errors) = image_mapping(&prepared.inventory, ImageMapping::default());
    let links = image_links(&prepared.inventory, &[], Vec::new(), &mapping);
    let images: Vec<_> = prepared
        .images
        .iter()
        .map(|image| ImageInput {
            image,
            shown: &shown,
        })
        .collect();
    let inputs = Inputs {
        inventory: &prepared.inventory,
        links: &links,
        nodes: &prepared.nodes,
        images: &images,
    };
    let (mut findings, more_errors) = run_inputs(&inputs, &rules, options);
    errors.extend(more_errors);
    assert!(errors.is_empty(), "{shown}: {errors:?}");
    // Only the rule's own findings count.
    findings.retain(|f| f.rule.code == code);
    Some(lines(findings))
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
        let fixture = |stem: &str| {
            FIXTURE_NAMES
                .iter()
                .map(|extension| dir.join(format!("{stem}{extension}")))
                .find(|path| path.exists())
        };
        let (Some(trigger), Some(pass)) = (fixture("trigger"), fixture("pass")) else {
            problems.push(format!(
                "{code}: needs fixtures/{code}/trigger.<ext> and pass.<ext>, or folders trigger/ and pass/ (see this test's documentation)"
            ));
            continue;
        };
        let name = |path: &Path| path.file_name().unwrap().to_string_lossy().into_owned();
        let (Some(triggered), Some(passed)) = (
            findings_on(*rule, &trigger, &options),
            findings_on(*rule, &pass, &options),
        ) else {
            continue;
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
