//! `meta.json`: what the database holds and since when, read by `db status` and by the scan's
//! age warning without opening the advisories.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::DbError;

pub(crate) const FILE: &str = "meta.json";

/// The version of the database's layout; a database of another is rebuilt, not read.
pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Meta {
    pub format: u32,
    /// When the database last changed (RFC 3339, UTC).
    pub updated: String,
    pub records: usize,
    pub withdrawn: usize,
    /// Every source imported, the latest import of each.
    pub sources: Vec<Source>,
}

/// One imported source: a folder, a file, an export's URL.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Source {
    pub origin: String,
    pub imported: String,
    /// Records read from it per ecosystem.
    pub ecosystems: BTreeMap<String, usize>,
}

impl Default for Meta {
    fn default() -> Meta {
        Meta {
            format: FORMAT,
            updated: now(),
            records: 0,
            withdrawn: 0,
            sources: Vec::new(),
        }
    }
}

impl Meta {
    pub fn read(dir: &Path) -> Result<Meta, DbError> {
        let path = dir.join(FILE);
        let text = std::fs::read(&path).map_err(|e| DbError::io(&path, e))?;
        let meta: Meta = serde_json::from_slice(&text).map_err(|e| DbError::Corrupt {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if meta.format != FORMAT {
            return Err(DbError::Corrupt {
                path,
                reason: format!(
                    "format {} where this rampart reads {FORMAT}: import the sources again",
                    meta.format
                ),
            });
        }
        Ok(meta)
    }

    pub(crate) fn write(&self, dir: &Path) -> Result<(), DbError> {
        let path = dir.join(FILE);
        let text = serde_json::to_vec_pretty(self).expect("meta serializes");
        std::fs::write(&path, text).map_err(|e| DbError::io(&path, e))
    }

    pub(crate) fn record_source(&mut self, source: Source) {
        self.sources.retain(|s| s.origin != source.origin);
        self.sources.push(source);
        self.sources.sort_by(|a, b| a.origin.cmp(&b.origin));
    }

    /// Seconds since the database last changed (0 when its clock is ahead).
    pub fn age_seconds(&self) -> Option<u64> {
        let then = parse_utc(&self.updated)?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
        Some(now.saturating_sub(then))
    }

    /// Every ecosystem the database has records of.
    pub fn ecosystems(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .sources
            .iter()
            .flat_map(|s| s.ecosystems.keys().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The current time as RFC 3339 in UTC, to the second.
pub fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_utc(secs)
}

/// Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's
/// `civil_from_days`.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
pub fn parse_utc(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() < 20 || !text.ends_with('Z') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let days = days_from_civil(i64::from(y), mo, d);
    u64::try_from(days * 86_400 + i64::from(h * 3600 + mi * 60 + s)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        for secs in [0, 951_782_400, 1_700_000_000, 4_102_444_799] {
            assert_eq!(parse_utc(&format_utc(secs)), Some(secs));
        }
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(
            parse_utc("2023-07-25T16:31:58.309647Z"),
            Some(1_690_302_718)
        );
        assert_eq!(parse_utc("yesterday"), None);
    }
}
