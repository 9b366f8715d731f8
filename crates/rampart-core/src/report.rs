use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Finding, Severity};

/// Version of the JSON report shape. Raised by any change that breaks a reader.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// An input that could not be read or understood. The scan goes on without it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ScanError {
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

/// Counts that make a report reviewable at a glance.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub objects: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    pub errors: usize,
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
    pub errors: Vec<ScanError>,
    pub summary: Summary,
    /// Findings silenced by a suppression; not part of the JSON contract's `findings`.
    #[serde(skip)]
    pub suppressed: Vec<Finding>,
}

impl Report {
    /// Sorts everything deterministically and computes the summary.
    pub fn new(
        mut findings: Vec<Finding>,
        mut errors: Vec<ScanError>,
        files: usize,
        objects: usize,
    ) -> Report {
        // Unstable is enough: findings with equal keys are duplicates and removed.
        findings.sort_unstable_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
        errors.sort();
        errors.dedup();
        // In place: a scan can hold a hundred thousand findings, not worth copying.
        let suppressed: Vec<_> = findings
            .extract_if(.., |f| f.suppression.is_some())
            .collect();
        let mut summary = Summary {
            files,
            objects,
            findings: findings.len(),
            errors: errors.len(),
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
            summary,
            suppressed,
        }
    }

    /// Whether any unsuppressed finding is at or above `threshold`.
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}
