//! `rampart sbom`: the SBOM `rampart-scan` assembles, written as CycloneDX or SPDX JSON.
//! Problems met reading go to standard error; the document holds what could be read.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use rampart_deps::sbom::{CycloneDx, Spdx};

use crate::cli::{SbomArgs, SbomFormat};
use crate::scan::{image_options, limits, write_output};
use crate::write_json;

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
/// for reproducible output, else now; UTC, `YYYY-MM-DDThh:mm:ssZ`.
fn created() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|value| value.parse::<u64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs())
        });
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_date(days as i64);
    let (hour, minute, second) = (rest / 3600, rest % 3600 / 60, rest % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        // 2026-12-07.
        assert_eq!(civil_date(20_794), (2026, 12, 7));
    }
}
