//! Every output format of a rampart scan report. Each writer renders the same [`Report`], in the
//! order the report holds its findings, so the same scan always gives byte-identical output.

mod json;
mod junit;
mod output;
mod sarif;
mod splice;
mod table;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use rampart_core::{Finding, Report, RuleMeta, Subject};

pub use output::write_output;

/// An output format of `rampart scan --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Human-readable, grouped by layer and severity.
    Table,
    /// The documented JSON contract (`docs/json-report.md`).
    Json,
    /// SARIF 2.1.0, ready for GitHub code scanning.
    Sarif,
    /// JUnit XML for CI test report views.
    Junit,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Table, Format::Json, Format::Sarif, Format::Junit];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown format `{s}` (expected table, json, sarif or junit)"))
    }
}

/// Choices the caller makes about the output device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI colours (table format only). The caller decides: a terminal and no `NO_COLOR`.
    pub color: bool,
}

/// The subject a writer names beside the location: not a Dockerfile, image or node file, which
/// the location names already.
fn named_subject(finding: &Finding) -> Option<&Subject> {
    let subject = &*finding.subject;
    (!subject.platform.is_its_location()).then_some(subject)
}

/// Writes `report` to `out` in `format`. `rules` is the full rule registry: SARIF describes every
/// rule in it so that results can point at their rule by index.
pub fn render(
    report: &Report,
    rules: &[&'static RuleMeta],
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, options.color, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, rules, out),
        Format::Junit => junit::render(report, out),
    }
}
