use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Diagnostic, Finding, Severity};

/// Version of the JSON report shape. Raised by any change that breaks a reader.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// Counts that make a report reviewable at a glance.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub objects: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    /// Inputs, or parts of them, that were not scanned.
    pub errors: usize,
    /// Inputs scanned that probably do not mean what they seem to.
    pub warnings: usize,
    pub suppressed: usize,
    /// Suppressed findings counted by what suppressed them and why (`config: vendored chart`).
    pub suppressed_by: BTreeMap<String, usize>,
}

/// The result of a scan: what every output format renders.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub findings: Vec<Finding>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub summary: Summary,
    /// Findings silenced by a suppression; not part of the JSON contract's `findings`.
    #[serde(skip)]
    pub suppressed: Vec<Finding>,
}

impl Report {
    /// Sorts everything deterministically, parts the diagnostics into errors and warnings and
    /// computes the summary.
    pub fn new(
        mut findings: Vec<Finding>,
        diagnostics: Vec<Diagnostic>,
        files: usize,
        objects: usize,
    ) -> Report {
        // Unstable is enough: findings with equal keys are duplicates and removed.
        findings.sort_unstable_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
        let (mut errors, mut warnings): (Vec<_>, Vec<_>) =
            diagnostics.into_iter().partition(Diagnostic::is_error);
        for list in [&mut errors, &mut warnings] {
            list.sort();
            list.dedup();
        }
        // In place: a scan can hold a hundred thousand findings, not worth copying.
        let suppressed: Vec<_> = findings
            .extract_if(.., |f| f.suppression.is_some())
            .collect();
        let mut summary = Summary {
            files,
            objects,
            findings: findings.len(),
            errors: errors.len(),
            warnings: warnings.len(),
            suppressed: suppressed.len(),
            ..Summary::default()
        };
        for finding in &findings {
            *summary.by_severity.entry(finding.severity).or_default() += 1;
        }
        for finding in &suppressed {
            let suppression = finding
                .suppression
                .as_ref()
                .expect("partitioned on suppression");
            let source = serde_json::to_value(suppression.source).expect("enum serializes");
            let source = source.as_str().unwrap_or_default().to_owned();
            let key = match &suppression.reason {
                Some(reason) => format!("{source}: {reason}"),
                None => source,
            };
            *summary.suppressed_by.entry(key).or_default() += 1;
        }
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "rampart",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings,
            errors,
            warnings,
            summary,
            suppressed,
        }
    }

    /// Whether any unsuppressed finding is at or above `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}
