//! The JSON contract documented in `docs/json-report.md`. The shape is rampart-core's serde
//! derive; the tests pin every key so that a change there cannot alter the contract silently.
//!
//! Findings are the bulk of a large report (a hundred megabytes for ten thousand workloads), so
//! they are spliced into the rest of the report in parallel batches (see [`write_spliced`]).

use std::io::{self, Write};

use rampart_core::Report;

use crate::splice::write_spliced;

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let shell = Report {
        schema_version: report.schema_version,
        tool: report.tool.clone(),
        findings: Vec::new(),
        errors: report.errors.clone(),
        warnings: report.warnings.clone(),
        summary: report.summary.clone(),
        suppressed: Vec::new(),
    };
    let shell = serde_json::to_string_pretty(&shell)?;
    write_spliced(
        &shell,
        "findings",
        &report.findings,
        serde_json::to_vec_pretty,
        out,
    )?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use rampart_core::Finding;

    use super::*;

    #[test]
    fn spliced_output_equals_serialising_the_whole_report() {
        // More findings than one batch, so chunk and batch seams are crossed.
        let meta = Box::leak(Box::new(rampart_core::RuleMeta {
            code: "X001",
            name: "example",
            title: "Example",
            severity: rampart_core::Severity::Low,
            layer: rampart_core::Layer::Cluster,
            concern: rampart_core::Concern::Workloads,
            references: rampart_core::References::NONE,
            equivalents: &[],
            doc: "",
        }));
        let findings = (0..3 * 2048 + 5)
            .map(|i| {
                let location = rampart_core::Location::new(format!("f{i}.yaml").into(), 1, 1);
                let subject = std::sync::Arc::new(rampart_core::Subject::dockerfile("Dockerfile"));
                Finding::new(meta, format!("m{i}").into(), location, subject, "/a".into())
            })
            .collect();
        let errors = vec![rampart_core::Diagnostic::error(
            "bad.yaml",
            Some(2),
            "a \"findings\": [] look-alike",
        )];
        for report in [
            Report::new(findings, errors.clone(), 1, 1),
            Report::new(Vec::new(), errors, 1, 1),
        ] {
            let mut ours = Vec::new();
            render(&report, &mut ours).unwrap();
            let mut whole = serde_json::to_vec_pretty(&report).unwrap();
            whole.push(b'\n');
            assert!(ours == whole, "the spliced report differs");
        }
    }
}
