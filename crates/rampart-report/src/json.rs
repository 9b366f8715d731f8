//! The JSON contract documented in `docs/json-report.md`. The shape is rampart-core's serde
//! derive; the tests pin every key so that a change there cannot alter the contract silently.

use std::io::{self, Write};

use rampart_core::Report;

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}
