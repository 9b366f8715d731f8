//! `rampart sbom`: the SBOM `rampart-scan` assembles, written as CycloneDX or SPDX JSON.
//! Problems met reading go to standard error; the document holds what could be read.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use rampart_deps::sbom::{CycloneDx, Spdx};

use crate::cli::{SbomArgs, SbomFormat};
use crate::scan::{image_options, limits};
use crate::write_json;
use rampart_report::write_output;

/// Writes the SBOM; exit 0 (an SBOM holds no findings).
pub fn run(args: &SbomArgs) -> Result<bool> {
    let reading = rampart_scan::sbom::sbom(
        &args.target,
        &limits(args.max_file_size),
        &image_options(&args.image_source)?,
    )?;
    for error in &reading.errors {
        let line = error.line.map(|l| format!(":{l}")).unwrap_or_default();
        eprintln!("rampart: {}{line}: {}", error.path, error.message);
    }
    let version = env!("CARGO_PKG_VERSION");
    write_output(args.output.as_deref(), |out, _color| match args.format {
        SbomFormat::Cyclonedx => write_json(out, &CycloneDx::new(&reading.sbom, version)),
        SbomFormat::Spdx => write_json(out, &Spdx::new(&reading.sbom, version, &created())),
    })?;
    Ok(false)
}

/// When the document is made, as SPDX requires it: `SOURCE_DATE_EPOCH` (seconds) when set,
/// for reproducible output, else now.
fn created() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|value| value.parse::<u64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs())
        });
    rampart_deps::sbom::utc_timestamp(seconds)
}
