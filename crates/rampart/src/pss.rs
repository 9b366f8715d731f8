//! `rampart pss`: the Pod Security Standards verdicts `rampart-scan` gives, as a table or JSON.

use std::io::Write;

use anyhow::{Result, anyhow};
use rampart_k8s::pss::{Level, Version};
use rampart_scan::pss::{PssReport, check};

use crate::cli::{PssArgs, PssFormat};
use crate::scan::{read, targets, write_output};

/// Evaluates every pod and pod template; returns whether any is denied.
pub fn run(args: &PssArgs) -> Result<bool> {
    let level: Level = args.level.parse().map_err(|e| anyhow!("--level: {e}"))?;
    let version: Version = args
        .version
        .parse()
        .map_err(|e| anyhow!("--version: {e}"))?;
    let inventory = read(&targets(&args.input), &args.input)?;
    let report = check(&inventory, level, version);
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            PssFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            PssFormat::Table => write_table(out, &report, &args.level, &args.version),
        }
    })?;
    Ok(report.denied())
}

fn write_table(
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
