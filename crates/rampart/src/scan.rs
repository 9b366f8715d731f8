//! `rampart scan` and `rampart pss`: load the targets, analyse, report.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rampart_core::{Report, ScanError, Severity, SuppressionSource};
use rampart_k8s::node::NodeModel;
use rampart_k8s::pss::{Level, Version, evaluate};
use rampart_k8s::{pod_template, shape_errors};
use rampart_report::{RenderOptions, render};
use rampart_rules::{
    Rule, Selection, image_links, image_mapping, names_a_rule, registry, run_linked, run_node,
};
use rampart_source::{Inventory, Limits, LoadOptions, Target, load};
use serde::Serialize;

use crate::cli::{InputArgs, NodeArgs, PssArgs, PssFormat, ReportArgs, ScanArgs};
use crate::config::Config;
use crate::image::{ImageAnalysis, ImageFindings, declared_outside};
use crate::suppress::{Baseline, apply_config};

/// Runs a scan; returns whether it found something at or above `--fail-on`. A folder that is
/// a node's root is also read as a node (as `rampart node --root` reads it), and a
/// `KubeletConfiguration` found elsewhere is judged as a kubelet started with it.
pub fn run(args: &ScanArgs) -> Result<bool> {
    let targets = targets(&args.input);
    let config = Config::discover(args.report.config.as_deref(), first_path(&targets))?;
    let plan = Plan::new(&args.report, config)?;
    let inventory = read(&targets, &args.input)?;
    let limits = limits(args.input.max_file_size);
    let mut nodes = Vec::new();
    for target in &targets {
        if let Target::Path(dir) = target
            && NodeModel::is_node_root(dir)
        {
            nodes.push(NodeModel::read(dir, &limits)?);
        }
    }
    let in_node_root = |path: &str| {
        nodes.iter().any(|node| {
            path.strip_prefix(node.shown_root.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let loose_kubelet_configs: Vec<NodeModel> = inventory
        .objects
        .iter()
        .filter(|object| object.kind == "KubeletConfiguration" && !in_node_root(&object.path))
        .map(|object| NodeModel::of_kubelet_config(&object.path, object.root.clone()))
        .collect();
    nodes.extend(loose_kubelet_configs);
    let images = ImageAnalysis::new(&args.image_source, &plan.rules, &plan.config.options)?
        .scan(&inventory, args.images);
    plan.report(inventory, &nodes, images, args.input.output.as_deref())
}

/// Runs `rampart node`: the node under `--root`, with the YAML and kubeconfigs of its
/// `/etc/kubernetes` (static pods and the files components read) and its static pod folder
/// as a scan reads them.
pub fn node(args: &NodeArgs) -> Result<bool> {
    let config = Config::discover(args.report.config.as_deref(), None)?;
    let plan = Plan::new(&args.report, config)?;
    let limits = limits(args.max_file_size);
    let node = NodeModel::read(&args.root, &limits)?;
    let kubernetes = args.root.join("etc/kubernetes");
    let mut targets = Vec::new();
    if kubernetes.is_dir() {
        // Kubeconfigs are named `*.conf`, which a folder walk does not read.
        let mut kubeconfigs: Vec<_> = std::fs::read_dir(&kubernetes)
            .with_context(|| format!("cannot read {}", kubernetes.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "conf"))
            .collect();
        kubeconfigs.sort();
        targets.push(Target::Path(kubernetes));
        targets.extend(kubeconfigs.into_iter().map(Target::Path));
    }
    // Static pods kept elsewhere (RKE2's `/var/lib/rancher/rke2/agent/pod-manifests`).
    if let Some(dir) = &node.static_pod_dir
        && !dir.starts_with("/etc/kubernetes/")
    {
        targets.push(Target::Path(args.root.join(dir.trim_start_matches('/'))));
    }
    let inventory = load(&targets, &LoadOptions { limits })?;
    plan.report(
        inventory,
        std::slice::from_ref(&node),
        ImageFindings::default(),
        args.output.as_deref(),
    )
}

/// Whether node mode also reads a node file as a manifest (static pods, kubeconfigs and other
/// YAML under `/etc/kubernetes`).
fn read_as_manifest(node_path: &str) -> bool {
    let manifest = [".yaml", ".yml", ".json", ".conf"]
        .iter()
        .any(|extension| node_path.ends_with(extension));
    manifest && node_path.starts_with("/etc/kubernetes/")
}

fn limits(max_file_size_mib: u64) -> Limits {
    Limits {
        max_file_bytes: max_file_size_mib.saturating_mul(1024 * 1024),
        ..Limits::default()
    }
}

/// What a command that reports findings settles before reading anything: the threshold, the
/// rules, the configuration and the baseline, so that a bad flag fails fast.
pub(crate) struct Plan<'a> {
    args: &'a ReportArgs,
    fail_on: Option<Severity>,
    pub(crate) config: Config,
    pub(crate) rules: Vec<Rule>,
    baseline: Option<Baseline>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(args: &'a ReportArgs, config: Config) -> Result<Plan<'a>> {
        let fail_on = parse_fail_on(&args.fail_on)?;
        let selection = Selection {
            select: if args.select.is_empty() {
                config.rules.select.clone()
            } else {
                args.select.clone()
            },
            ignore: config
                .rules
                .ignore
                .iter()
                .chain(&args.ignore)
                .cloned()
                .collect(),
        };
        let rules = selected_rules(&selection)?;
        let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
        Ok(Plan {
            args,
            fail_on,
            config,
            rules,
            baseline,
        })
    }

    /// Runs the rules over the objects and nodes, adds what the images gave, applies
    /// suppressions, writes the report; returns whether it fails at `--fail-on`.
    pub(crate) fn report(
        self,
        inventory: Inventory,
        nodes: &[NodeModel],
        images: ImageFindings,
        output: Option<&Path>,
    ) -> Result<bool> {
        let Plan {
            args,
            fail_on,
            config,
            rules,
            baseline,
        } = self;
        let (mapping, mapping_errors) = image_mapping(&inventory, config.image_mapping());
        let outside = declared_outside(&inventory, &mapping);
        let links = image_links(&inventory, &outside, images.sources, &mapping);
        let (mut findings, mut errors) = run_linked(&inventory, &links, &rules, &config.options);
        errors.extend(mapping_errors);
        for node in nodes {
            let (node_findings, node_errors) = run_node(node, &rules, &config.options);
            findings.extend(node_findings);
            errors.extend(node_errors);
        }
        findings.extend(images.findings);
        errors.extend(images.errors);
        links.name_runners(&mut findings);
        apply_config(&mut findings, &config);
        if let Some(baseline) = &baseline {
            baseline.apply(&mut findings);
        }
        if let Some(path) = &args.write_baseline {
            // Everything not silenced for another reason: findings the old baseline accepted
            // stay accepted when the baseline is rewritten.
            let accepted: Vec<_> = findings
                .iter()
                .filter(|f| {
                    f.suppression
                        .as_ref()
                        .is_none_or(|s| s.source == SuppressionSource::Baseline)
                })
                .cloned()
                .collect();
            Baseline::of(&accepted).write(path)?;
        }
        // A node's files are inputs too (unit files, drop-ins, keys); those read as manifests
        // are counted once.
        let node_files = nodes
            .iter()
            .flat_map(|node| &node.files)
            .filter(|file| !read_as_manifest(&file.path))
            .count();
        let report = build_report(findings, inventory, errors, node_files + images.count);

        let metas: Vec<_> = registry().iter().map(|rule| rule.meta()).collect();
        write_output(output, |out, color| {
            render(&report, &metas, args.format, &RenderOptions { color }, out)
        })?;
        let failed = fail_on.is_some_and(|threshold| report.fails_at(threshold));
        // The process ends next; freeing a hundred thousand findings one by one only costs
        // time.
        std::mem::forget(report);
        Ok(failed)
    }
}

fn build_report(
    findings: Vec<rampart_core::Finding>,
    inventory: Inventory,
    shape_errors: Vec<ScanError>,
    other_files: usize,
) -> Report {
    let Inventory {
        objects,
        dockerfiles,
        mut errors,
        files,
        images: _,
        compose_files: _,
        roots: _,
    } = inventory;
    drop(dockerfiles);
    errors.extend(shape_errors);
    let object_count = objects.len();
    // The parsed trees are no longer needed, and the process ends after the report is written:
    // freeing millions of nodes one by one would only cost time (the peak already held them).
    std::mem::forget(objects);
    Report::new(findings, errors, files + other_files, object_count)
}

fn parse_fail_on(value: &str) -> Result<Option<Severity>> {
    if value.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    value
        .parse::<Severity>()
        .map(Some)
        .map_err(|e| anyhow::anyhow!("--fail-on: {e}, or never"))
}

/// The registry's rules that the selection keeps. A code or prefix that names no rule is an
/// error: a typo must not silently turn a rule off or a selection into nothing.
fn selected_rules(selection: &Selection) -> Result<Vec<Rule>> {
    for pattern in selection.select.iter().chain(&selection.ignore) {
        if !names_a_rule(pattern) {
            bail!("`{pattern}` matches no rule code (see `rampart rules`)");
        }
    }
    Ok(registry()
        .iter()
        .copied()
        .filter(|rule| selection.includes(rule.meta().code))
        .collect())
}

pub(crate) fn targets(input: &InputArgs) -> Vec<Target> {
    input.paths.iter().map(|p| Target::parse(p)).collect()
}

pub(crate) fn first_path(targets: &[Target]) -> Option<&Path> {
    targets.iter().find_map(|t| match t {
        Target::Path(path) => Some(path.as_path()),
        Target::Stdin => None,
    })
}

pub(crate) fn read(targets: &[Target], input: &InputArgs) -> Result<Inventory> {
    let options = LoadOptions {
        limits: limits(input.max_file_size),
    };
    Ok(load(targets, &options)?)
}

/// Writes to `--output` or standard output; colour only on a terminal without `NO_COLOR`.
pub(crate) fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write, bool) -> std::io::Result<()>,
) -> Result<()> {
    match path {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            write(&mut out, false)?;
            out.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let color = anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
            let mut out = std::io::BufWriter::new(stdout.lock());
            match write(&mut out, color).and_then(|()| out.flush()) {
                // A closed pipe (`rampart scan | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other?,
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct PssReport {
    results: Vec<PssResult>,
    errors: Vec<ScanError>,
}

#[derive(Serialize)]
struct PssResult {
    path: String,
    object: rampart_core::ObjectRef,
    allowed: bool,
    violations: Vec<PssViolation>,
}

#[derive(Serialize)]
struct PssViolation {
    check: &'static str,
    message: String,
}

/// Evaluates every pod and pod template; returns whether any is denied.
pub fn pss(args: &PssArgs) -> Result<bool> {
    let level: Level = args
        .level
        .parse()
        .map_err(|e| anyhow::anyhow!("--level: {e}"))?;
    let version: Version = args
        .version
        .parse()
        .map_err(|e| anyhow::anyhow!("--version: {e}"))?;
    let inventory = read(&targets(&args.input), &args.input)?;
    let mut errors = inventory.errors.clone();
    let mut results = Vec::new();
    for object in &inventory.objects {
        errors.extend(shape_errors(object));
        let Some(pod) = pod_template(object) else {
            continue;
        };
        let evaluation = evaluate(&pod, level, version);
        results.push(PssResult {
            path: object.path.to_string(),
            object: object.object_ref(),
            allowed: evaluation.allowed,
            violations: evaluation
                .violations
                .into_iter()
                .map(|v| PssViolation {
                    check: v.check,
                    message: v.message,
                })
                .collect(),
        });
    }
    errors.sort();
    let denied = results.iter().any(|r| !r.allowed);
    let report = PssReport { results, errors };
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            PssFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            PssFormat::Table => write_pss_table(out, &report, &args.level, &args.version),
        }
    })?;
    Ok(denied)
}

fn write_pss_table(
    out: &mut dyn Write,
    report: &PssReport,
    level: &str,
    version: &str,
) -> std::io::Result<()> {
    for result in &report.results {
        let verdict = if result.allowed { "allowed" } else { "DENIED" };
        writeln!(
            out,
            "{verdict:<8} {} ({})",
            result.object.label(),
            result.path
        )?;
        for violation in &result.violations {
            writeln!(out, "         {}: {}", violation.check, violation.message)?;
        }
    }
    for error in &report.errors {
        let line = error.line.map(|l| format!(":{l}")).unwrap_or_default();
        writeln!(out, "error    {}{line}: {}", error.path, error.message)?;
    }
    let denied = report.results.iter().filter(|r| !r.allowed).count();
    writeln!(
        out,
        "\n{} of {} pod specs denied at {level} ({version}); {} errors",
        denied,
        report.results.len(),
        report.errors.len()
    )
}
