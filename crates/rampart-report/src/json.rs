//! The JSON contract documented in `docs/json-report.md`. The shape is rampart-core's serde
//! derive; the tests pin every key so that a change there cannot alter the contract silently.
//!
//! Findings are the bulk of a large report (a hundred megabytes for ten thousand workloads), so
//! they are serialised in parallel, a bounded batch at a time, and spliced into the rest of the
//! report: the bytes are exactly what serialising the whole report at once gives.

use std::io::{self, Write};

use rampart_core::{Finding, Report};
use rayon::prelude::*;

/// Findings serialised together by one thread.
const CHUNK: usize = 256;
/// Findings held serialised in memory before they are written.
const BATCH: usize = 8 * CHUNK;

/// Where the findings array goes in the report rendered without findings. Quotes inside JSON
/// strings are escaped, so this text can only be the key itself.
const FINDINGS_SLOT: &str = "\"findings\": []";

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let shell = Report {
        schema_version: report.schema_version,
        tool: report.tool.clone(),
        findings: Vec::new(),
        errors: report.errors.clone(),
        summary: report.summary.clone(),
        suppressed: Vec::new(),
    };
    let shell = serde_json::to_string_pretty(&shell)?;
    let slot = shell
        .find(FINDINGS_SLOT)
        .expect("a report always has a findings key");
    let (head, tail) = shell.split_at(slot + FINDINGS_SLOT.len() - 2);
    out.write_all(head.as_bytes())?;
    write_findings(&report.findings, out)?;
    out.write_all(&tail.as_bytes()[2..])?;
    out.write_all(b"\n")
}

/// The findings array as the pretty printer lays it out at this depth (items indented by four
/// spaces, closing bracket by two).
fn write_findings(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    if findings.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[\n")?;
    for (index, batch) in findings.chunks(BATCH).enumerate() {
        let rendered: Vec<Vec<u8>> = batch
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut buffer = Vec::with_capacity(chunk.len() * 1024);
                for (position, finding) in chunk.iter().enumerate() {
                    if position > 0 {
                        buffer.extend_from_slice(b",\n");
                    }
                    indented(finding, &mut buffer);
                }
                buffer
            })
            .collect();
        for (position, buffer) in rendered.iter().enumerate() {
            if index > 0 || position > 0 {
                out.write_all(b",\n")?;
            }
            out.write_all(buffer)?;
        }
    }
    out.write_all(b"\n  ]")
}

/// One finding, pretty-printed and shifted right by the four spaces of its depth.
fn indented(finding: &Finding, buffer: &mut Vec<u8>) {
    let text = serde_json::to_vec_pretty(finding).expect("findings serialise");
    for (index, line) in text.split(|&byte| byte == b'\n').enumerate() {
        if index > 0 {
            buffer.push(b'\n');
        }
        buffer.extend_from_slice(b"    ");
        buffer.extend_from_slice(line);
    }
}

#[cfg(test)]
mod tests {
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
        let findings = (0..BATCH + CHUNK + 3)
            .map(|i| {
                let location = rampart_core::Location {
                    path: format!("f{i}.yaml").into(),
                    line: 1,
                    column: 1,
                    template: None,
                };
                Finding::new(meta, format!("m{i}"), location, None, "/a".to_owned())
            })
            .collect();
        let errors = vec![rampart_core::ScanError {
            path: "bad.yaml".into(),
            line: Some(2),
            message: "a \"findings\": [] look-alike".into(),
        }];
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
