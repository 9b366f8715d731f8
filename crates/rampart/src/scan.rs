//! `rampart scan`, `node` and `image`: settle the rules, read the targets, scan, render the
//! report. The work happens in `rampart-scan`.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use rampart_core::{Report, Severity};
use rampart_image::Platform;
use rampart_report::{RenderOptions, render, write_output};
use rampart_rules::registry;
use rampart_scan::{Config, ImageOptions, ScanOptions, Scanner};
use rampart_source::{Inventory, Limits, Target};

use crate::cli::{ImageArgs, ImageSourceArgs, InputArgs, NodeArgs, ReportArgs, ScanArgs};

/// Runs a scan; returns whether it found something at or above `--fail-on`.
pub fn run(args: &ScanArgs) -> Result<bool> {
    let targets = targets(&args.input);
    let config = Config::discover(args.report.config.as_deref(), first_path(&targets))?;
    let limits = limits(args.input.max_file_size);
    let images = image_options(&args.image_source)?;
    let (scanner, fail_on) = scanner(
        &args.report,
        config,
        limits,
        images,
        args.images,
        &args.var_file,
    )?;
    let inputs = scanner.read(&targets)?;
    let report = scanner.scan(&inputs)?;
    warn(scanner.notices(&inputs));
    // The parsed trees are no longer needed, and the process ends after the report is written:
    // freeing millions of nodes one by one would only cost time (the peak already held them).
    std::mem::forget(inputs);
    write_report(report, &args.report, fail_on, args.input.output.as_deref())
}

/// Runs `rampart node`: the node under `--root`, with the YAML and kubeconfigs of its
/// `/etc/kubernetes` (static pods and the files components read) and its static pod folder
/// as a scan reads them.
pub fn node(args: &NodeArgs) -> Result<bool> {
    let config = Config::discover(args.report.config.as_deref(), None)?;
    let limits = limits(args.max_file_size);
    let (scanner, fail_on) = scanner(
        &args.report,
        config,
        limits,
        ImageOptions::default(),
        false,
        &[],
    )?;
    let inputs = scanner.read_node(&args.root)?;
    let report = scanner.scan(&inputs)?;
    warn(scanner.notices(&inputs));
    write_report(report, &args.report, fail_on, args.output.as_deref())
}

/// `rampart image REF|PATH...`; returns whether a finding is at or above `--fail-on`. An image
/// that cannot be read makes the command fail (exit 2): there is nothing else to report on.
pub fn image(args: &ImageArgs) -> Result<bool> {
    let first_path = args.images.iter().map(Path::new).find(|path| path.exists());
    let config = Config::discover(args.report.config.as_deref(), first_path)?;
    let images = image_options(&args.image_source)?;
    let (scanner, fail_on) = scanner(&args.report, config, Limits::default(), images, false, &[])?;
    let inputs = scanner.read_images(&args.images)?;
    let report = scanner.scan(&inputs)?;
    warn(scanner.notices(&inputs));
    write_report(report, &args.report, fail_on, args.output.as_deref())
}

/// What a command that reports findings settles before reading anything: the threshold, the
/// rules, the configuration and the baseline, so that a bad flag fails fast.
fn scanner(
    args: &ReportArgs,
    config: Config,
    limits: Limits,
    images: ImageOptions,
    pull_images: bool,
    var_files: &[PathBuf],
) -> Result<(Scanner, Option<Severity>)> {
    let fail_on = parse_fail_on(&args.fail_on)?;
    let scanner = Scanner::new(
        config,
        ScanOptions {
            select: args.select.clone(),
            ignore: args.ignore.clone(),
            baseline: args.baseline.clone(),
            write_baseline: args.write_baseline.clone(),
            limits,
            images,
            pull_images,
            var_files: var_files.to_vec(),
            db: crate::db::location(args.db.as_ref()).ok(),
        },
    )?;
    Ok((scanner, fail_on))
}

/// Renders the report as `--format` says; returns whether it fails at `--fail-on`.
fn write_report(
    report: Report,
    args: &ReportArgs,
    fail_on: Option<Severity>,
    output: Option<&Path>,
) -> Result<bool> {
    let metas: Vec<_> = registry().iter().map(|rule| rule.meta()).collect();
    write_output(output, |out, color| {
        render(&report, &metas, args.format, &RenderOptions { color }, out)
    })?;
    let failed = fail_on.is_some_and(|threshold| report.fails_at(threshold));
    let unscanned = report.errors.len();
    // The process ends next; freeing a hundred thousand findings one by one only costs
    // time.
    std::mem::forget(report);
    if unscanned > 0 && fail_on_errors(args) {
        bail!(
            "{unscanned} input{} could not be read, parsed or rendered (--fail-on-errors{})",
            if unscanned == 1 { "" } else { "s" },
            if args.fail_on_errors {
                ""
            } else {
                ", on because CI is set"
            }
        );
    }
    Ok(failed)
}

/// `--fail-on-errors`, on by default in CI (where the `CI` environment variable is set): a
/// pipeline must not pass a scan that could not read its inputs.
fn fail_on_errors(args: &ReportArgs) -> bool {
    if args.fail_on_errors || args.no_fail_on_errors {
        return args.fail_on_errors;
    }
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn parse_fail_on(value: &str) -> Result<Option<Severity>> {
    if value.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    value
        .parse::<Severity>()
        .map(Some)
        .map_err(|e| anyhow!("--fail-on: {e}, or never"))
}

pub(crate) fn image_options(args: &ImageSourceArgs) -> Result<ImageOptions> {
    let platform = args
        .platform
        .as_deref()
        .map(Platform::parse)
        .transpose()
        .map_err(|e| anyhow!("--platform: {e}"))?;
    Ok(ImageOptions {
        platform,
        insecure_registries: args.insecure_registry.clone(),
        limits: rampart_image::Limits {
            max_expanded_bytes: args.max_image_size.saturating_mul(1024 * 1024),
            max_entries: args.max_image_entries,
            ..rampart_image::Limits::default()
        },
    })
}

pub(crate) fn limits(max_file_size_mib: u64) -> Limits {
    Limits {
        max_file_bytes: max_file_size_mib.saturating_mul(1024 * 1024),
        ..Limits::default()
    }
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
    rampart_scan::read(targets, &limits(input.max_file_size))
}

/// What the scan wants the user to know beside the report, on the standard error.
fn warn(notices: &[String]) {
    for notice in notices {
        eprintln!("rampart: warning: {notice}");
    }
}
