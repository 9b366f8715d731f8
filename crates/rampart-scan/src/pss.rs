//! The Pod Security Standards verdict on every pod and pod template (`rampart pss`). Its JSON
//! shape is a contract: docs/json-pss.md.

use std::io::{self, Write};

use rampart_core::{Diagnostic, ObjectRef};
use rampart_k8s::pss::{Level, Version, evaluate};
use rampart_k8s::{pod_template, shape_errors};
use rampart_source::{Inventory, Object};
use serde::Serialize;

/// Version of the verdicts' JSON shape. Raised by any change that breaks a reader.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct PssReport {
    pub schema_version: u32,
    pub results: Vec<PssResult>,
    pub errors: Vec<Diagnostic>,
}

/// The verdict on one pod or pod template.
#[derive(Debug, Serialize)]
pub struct PssResult {
    pub path: String,
    pub object: ObjectRef,
    pub allowed: bool,
    pub violations: Vec<PssViolation>,
}

#[derive(Debug, Serialize)]
pub struct PssViolation {
    pub check: &'static str,
    pub message: String,
}

impl PssReport {
    /// Whether a pod or pod template is denied.
    pub fn denied(&self) -> bool {
        self.results.iter().any(|result| !result.allowed)
    }
}

/// Evaluates every pod and pod template of the inventory at `level` of `version`.
pub fn check(inventory: &Inventory, level: Level, version: Version) -> PssReport {
    let mut errors = inventory.errors.clone();
    let mut results = Vec::new();
    for object in inventory.all::<Object>() {
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
    PssReport {
        schema_version: SCHEMA_VERSION,
        results,
        errors,
    }
}

pub fn write_text(
    out: &mut dyn Write,
    report: &PssReport,
    level: &str,
    version: &str,
) -> io::Result<()> {
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
