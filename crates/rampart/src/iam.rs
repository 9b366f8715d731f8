//! `rampart iam can-i`: an AWS IAM question answered from the configurations read, with the
//! statements that decide.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use rampart_scan::iam::{CanIQuery, CanIReport, Effect, Tri, Verdict, can_i as answer, read_model};
use rampart_source::Target;

use crate::cli::{IamCanIArgs, RbacFormat};
use crate::scan::{limits, write_output};
use crate::write_json;

/// `rampart iam can-i`; returns true (exit 1) unless the request is allowed in every context.
pub fn can_i(args: &IamCanIArgs) -> Result<bool> {
    let (resource, paths) = split_resource(&args.rest);
    let targets: Vec<Target> = match paths.is_empty() {
        true => vec![Target::parse(".")],
        false => paths.iter().map(|p| Target::parse(p)).collect(),
    };
    let model = read_model(&targets, &limits(args.max_file_size))?;
    let query = CanIQuery {
        principal: &args.principal,
        action: &args.action,
        resource,
    };
    let report = answer(&model, &query).map_err(anyhow::Error::msg)?;
    write_output(args.output.as_deref(), |out, _color| match args.format {
        RbacFormat::Json => write_json(out, &report),
        RbacFormat::Table => write_table(out, &report),
    })?;
    Ok(!report.allowed)
}

/// The resource, when the first argument after the action names one (`*`, an ARN, an
/// address that is not a file), and the paths after it.
fn split_resource(rest: &[String]) -> (&str, &[String]) {
    match rest.first() {
        Some(first) if is_resource(first) => (first, &rest[1..]),
        _ => ("*", rest),
    }
}

/// `*`, an ARN, or a Terraform address (`aws_kms_key.app`, `module.x.aws_s3_bucket.b`) that
/// is not a file or folder.
fn is_resource(arg: &str) -> bool {
    if arg == "*" || arg.starts_with("arn:") {
        return true;
    }
    let address = arg.strip_prefix("data.").unwrap_or(arg);
    let mut parts = address.split('.');
    let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
        return false;
    };
    let word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-[]\"".contains(c))
    };
    (kind.contains('_') || kind == "module") && word(kind) && word(name) && !Path::new(arg).exists()
}

fn write_table(out: &mut dyn Write, report: &CanIReport) -> std::io::Result<()> {
    let answer = match report.verdict {
        Verdict::Allowed => "yes",
        Verdict::Conditional => "only under a condition",
        Verdict::Denied => "no",
    };
    writeln!(out, "{answer}")?;
    for statement in &report.statements {
        let sid = statement
            .sid
            .as_deref()
            .map(|s| format!(" {s:?}"))
            .unwrap_or_default();
        let at = match (&statement.path, statement.line) {
            (Some(path), Some(line)) => format!(" ({path}:{line})"),
            _ => String::new(),
        };
        let effect = match statement.effect {
            Effect::Allow => "allowed by",
            Effect::Deny => "denied by",
        };
        writeln!(
            out,
            "  {effect} {} statement {}{sid}{at}",
            statement.policy, statement.index
        )?;
        if statement.applies == Tri::Maybe {
            for condition in &statement.conditions {
                writeln!(out, "    only under {condition}")?;
            }
        }
    }
    for reason in &report.reasons {
        writeln!(out, "  {reason}")?;
    }
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}
