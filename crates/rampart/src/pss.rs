//! `rampart pss`: the Pod Security Standards verdicts `rampart-scan` gives, as a table or JSON.

use anyhow::{Result, anyhow};
use rampart_k8s::pss::{Level, Version};
use rampart_scan::pss::{check, write_text};

use crate::cli::{AnswerFormat, PssArgs};
use crate::scan::{read, targets};
use rampart_report::write_output;

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
            AnswerFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            AnswerFormat::Table => write_text(out, &report, &args.level, &args.version),
        }
    })?;
    Ok(report.denied())
}
