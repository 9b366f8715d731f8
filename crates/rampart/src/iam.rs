//! `rampart iam can-i`: an AWS IAM question answered from the configurations read, with the
//! statements that decide.

use anyhow::Result;
use rampart_scan::iam::{CanIQuery, can_i as answer, read_model, split_resource, write_text};
use rampart_source::Target;

use crate::cli::{AnswerFormat, IamCanIArgs};
use crate::scan::limits;
use crate::write_json;
use rampart_report::write_output;

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
        AnswerFormat::Json => write_json(out, &report),
        AnswerFormat::Table => write_text(out, &report),
    })?;
    Ok(!report.allowed)
}
