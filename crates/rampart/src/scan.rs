//! `rampart scan` and `rampart pss`: load the targets, analyse, report.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rampart_core::{Report, ScanError, Severity, SuppressionSource};
use rampart_k8s::pss::{Level, Version, evaluate};
use rampart_k8s::{pod_template, shape_errors};
use rampart_report::{RenderOptions, render};
use rampart_rules::{Rule, Selection, names_a_rule, registry};
use rampart_source::{Inventory, Limits, LoadOptions, Target, load};
use serde::Serialize;

use crate::cli::{InputArgs, PssArgs, PssFormat, ScanArgs};
use crate::config::Config;
use crate::suppress::{Baseline, apply_config};

/// Runs a scan; returns whether it found something at or above `--fail-on`.
pub fn run(args: &ScanArgs) -> Result<bool> {
    let fail_on = parse_fail_on(&args.fail_on)?;
    let targets = targets(&args.input);
    let config = Config::discover(args.config.as_deref(), first_path(&targets))?;
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

    let inventory = read(&targets, &args.input)?;
    let (mut findings, shape_errors) = rampart_rules::run(&inventory, &rules, &config.options);
    apply_config(&mut findings, &config);
    if let Some(baseline) = &baseline {
        baseline.apply(&mut findings);
    }
    if let Some(path) = &args.write_baseline {
        // Everything not silenced for another reason: findings the old baseline accepted stay
        // accepted when the baseline is rewritten.
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
    let report = build_report(findings, inventory, shape_errors);

    let metas: Vec<_> = registry().iter().map(|rule| rule.meta()).collect();
    write_output(args.input.output.as_deref(), |out, color| {
        render(&report, &metas, args.format, &RenderOptions { color }, out)
    })?;
    let failed = fail_on.is_some_and(|threshold| report.fails_at(threshold));
    // The process ends next; freeing a hundred thousand findings one by one only costs time.
    std::mem::forget(report);
    Ok(failed)
}

fn build_report(
    findings: Vec<rampart_core::Finding>,
    inventory: Inventory,
    shape_errors: Vec<ScanError>,
) -> Report {
    let Inventory {
        objects,
        mut errors,
        files,
    } = inventory;
    errors.extend(shape_errors);
    let object_count = objects.len();
    // The parsed trees are no longer needed, and the process ends after the report is written:
    // freeing millions of nodes one by one would only cost time (the peak already held them).
    std::mem::forget(objects);
    Report::new(findings, errors, files, object_count)
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

fn first_path(targets: &[Target]) -> Option<&Path> {
    targets.iter().find_map(|t| match t {
        Target::Path(path) => Some(path.as_path()),
        Target::Stdin => None,
    })
}

pub(crate) fn read(targets: &[Target], input: &InputArgs) -> Result<Inventory> {
    let options = LoadOptions {
        limits: Limits {
            max_file_bytes: input.max_file_size.saturating_mul(1024 * 1024),
            ..Limits::default()
        },
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
