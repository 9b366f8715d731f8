//! Every rule has a fixture that must trigger it and one that must not, under
//! `crates/rampart-rules/fixtures/<CODE>/`, and the findings on them are snapshot-tested. A rule
//! may read options from `fixtures/<CODE>/options.toml` (the `[options]` table of
//! `rampart.toml`), and a vulnerability rule its advisories from `fixtures/<CODE>/advisories/`
//! (OSV records, imported into a database the fixtures are scanned with).
//!
//! A fixture is `trigger.<ext>` and `pass.<ext>`, or the folders `trigger/` and `pass/`, and is
//! scanned as `rampart scan` scans it, whatever kind of rule it is for: Kubernetes objects in
//! `.yaml` (a `KubeletConfiguration` there is also a kubelet started with it; a CloudFormation
//! template is told by its content), Terraform in `.tf`, Dockerfiles in
//! `.Dockerfile` (a `<name>.dockerignore` beside one counts), a folder of workloads with the
//! Dockerfiles that build their images, or a node's root folder. Only two kinds of fixture are
//! prepared first: image descriptions in `.toml` (see `rampart_image::build`) are built into
//! OCI layouts in a temporary folder, so no binary archive is committed, and node roots get the
//! modes and owners `trigger.modes` and `pass.modes` list (see `support/node_root.rs`) in a
//! temporary copy; findings name those by the fixture's path.

mod support;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use rampart_core::Finding;
use rampart_rules::{Rule, RuleOptions, registry, superseding};
use rampart_scan::{Config, ScanOptions, Scanner};
use rampart_source::Target;
use tempfile::TempDir;

use support::node_root;

/// The names a fixture may have, tried in this order.
const FIXTURE_NAMES: [&str; 6] = ["", ".yaml", ".Dockerfile", ".toml", ".tf", ".py"];

/// A fixture ready to scan: its path, or the temporary folder it was prepared in.
struct Prepared {
    path: PathBuf,
    /// Holds the prepared copy while it is scanned.
    _folder: Option<TempDir>,
}

impl Prepared {
    /// `None` when a node root needs modes and owners this process cannot give.
    fn of(path: &Path) -> Option<Prepared> {
        let modes = path.with_extension("modes");
        let folder = if path.extension().is_some_and(|e| e == "toml") {
            Some(image_layout(path))
        } else if path.is_dir() && modes.exists() {
            Some(node_root::prepare(path, Some(&modes))?)
        } else {
            None
        };
        Some(Prepared {
            path: folder
                .as_ref()
                .map_or_else(|| path.to_owned(), |folder| folder.path().to_owned()),
            _folder: folder,
        })
    }
}

/// Builds the described image as an OCI layout in a temporary folder.
fn image_layout(path: &Path) -> TempDir {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = rampart_image::build::ImageSpec::parse(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let dir = tempfile::tempdir().unwrap();
    rampart_image::build::write_layout(&spec, dir.path()).unwrap();
    dir
}

/// The findings of `rule` on a fixture (`shown`, relative to the rules crate), scanned with
/// the rules that take precedence over it, as in a full scan. `None` when the fixture cannot
/// be prepared here.
fn findings_on(
    rule: Rule,
    shown: &str,
    options: &RuleOptions,
    db: Option<&Path>,
) -> Option<Vec<String>> {
    let prepared = Prepared::of(Path::new(shown))?;
    let code = rule.meta().code;
    let select = std::iter::once(rule)
        .chain(superseding(code))
        .map(|rule| rule.meta().code.to_owned())
        .collect();
    let config = Config {
        options: options.clone(),
        ..Config::default()
    };
    let scan_options = ScanOptions {
        select,
        db: db.map(Path::to_owned),
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(config, scan_options).unwrap();
    let mut inputs = scanner
        .read(&[Target::Path(prepared.path.clone())])
        .unwrap_or_else(|e| panic!("{shown}: {e:#}"));
    // A prepared node root is shown where its fixture is.
    let prepared_at = prepared.path.display().to_string();
    for node in &mut inputs.nodes {
        if node.shown_root == prepared_at {
            node.shown_root = shown.to_owned();
        }
    }
    let report = scanner
        .scan(&inputs)
        .unwrap_or_else(|e| panic!("{shown}: {e:#}"));
    assert!(report.errors.is_empty(), "{shown}: {:?}", report.errors);
    assert!(report.suppressed.is_empty(), "{shown}: suppressed findings");
    let mut findings = report.findings;
    // Only the rule's own findings count.
    findings.retain(|f| f.rule.code == code);
    Some(
        lines(findings)
            .into_iter()
            .map(|line| line.replace(&prepared_at, shown))
            .collect(),
    )
}

/// One line per finding, in report order:
/// `path:line:column code severity [object] pointer message`.
fn lines(mut findings: Vec<Finding>) -> Vec<String> {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
        .iter()
        .map(|f| {
            // A subject that is the file itself is already in the path.
            let object = match f.subject.platform.is_its_location() {
                true => String::new(),
                false => f.subject.to_string(),
            };
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
    // Snapshots show fixture paths relative to the rules crate, which holds them: this test
    // is the only one of its binary, so it may move the process there.
    std::env::set_current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../rampart-rules"))
        .unwrap();
    let root = Path::new("fixtures");
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
        // A database of the rule's advisories, built for its fixtures.
        let advisories = dir.join("advisories");
        let db = advisories.is_dir().then(|| {
            let db = tempfile::tempdir().unwrap();
            let imported = rampart_scan::db::import(db.path(), &[advisories]).unwrap();
            assert!(
                imported.report.errors.is_empty(),
                "{code}: {:?}",
                imported.report.errors
            );
            db
        });
        let db_path = db.as_ref().map(|db| db.path());
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
            findings_on(*rule, &trigger.display().to_string(), &options, db_path),
            findings_on(*rule, &pass.display().to_string(), &options, db_path),
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
