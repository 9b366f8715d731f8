//! OSV records (schema 1.x, <https://ossf.github.io/osv-schema/>): the parts rampart reads,
//! parsed from JSON or YAML and checked against what the schema requires.

use serde::{Deserialize, Serialize};

/// One advisory.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Record {
    pub id: String,
    #[serde(default)]
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the advisory was withdrawn: it no longer applies to anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Severity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
}

/// A severity vector: `CVSS_V3`, `CVSS_V4` (scored by rampart), `CVSS_V2`, `Ubuntu`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Severity {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

/// The versions of one package an advisory affects.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Affected {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Severity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Versions affected, listed one by one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Package {
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Range {
    #[serde(rename = "type")]
    pub kind: RangeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    pub events: Vec<Event>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RangeKind {
    /// Versions in the ecosystem's own order.
    Ecosystem,
    /// Versions in SemVer 2.0's order, whatever the ecosystem.
    Semver,
    /// Commits of a Git repository.
    Git,
}

/// One event of a range: exactly one of its fields is set.
#[derive(Clone, Debug, PartialEq, Default, Deserialize, Serialize)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// Why a file is not an OSV record rampart can use.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RecordError {
    #[error("not valid JSON for an OSV record: {0}")]
    Json(String),
    #[error("not valid YAML for an OSV record: {0}")]
    Yaml(String),
    #[error("{id}: {reason}")]
    Invalid { id: String, reason: String },
}

impl Record {
    pub fn from_json(bytes: &[u8]) -> Result<Record, RecordError> {
        let record: Record =
            serde_json::from_slice(bytes).map_err(|e| RecordError::Json(e.to_string()))?;
        record.checked()
    }

    /// The text is capped before it gets here (`limits::MAX_RECORD_BYTES`); serde-saphyr's
    /// default budget caps nesting, aliases and events.
    pub fn from_yaml(text: &str) -> Result<Record, RecordError> {
        let record: Record =
            serde_saphyr::from_str(text).map_err(|e| RecordError::Yaml(e.to_string()))?;
        record.checked()
    }

    /// What the schema requires beyond the shape: an id, one field per event, ranges with
    /// events, an `introduced` in every range.
    fn checked(self) -> Result<Record, RecordError> {
        let invalid = |reason: String| RecordError::Invalid {
            id: self.id.clone(),
            reason,
        };
        if self.id.trim().is_empty() {
            return Err(invalid("the record has no id".to_owned()));
        }
        for (a, affected) in self.affected.iter().enumerate() {
            for (r, range) in affected.ranges.iter().enumerate() {
                let at = format!("affected[{a}].ranges[{r}]");
                if range.events.is_empty() {
                    return Err(invalid(format!("{at} has no events")));
                }
                for (e, event) in range.events.iter().enumerate() {
                    let set = [
                        &event.introduced,
                        &event.fixed,
                        &event.last_affected,
                        &event.limit,
                    ]
                    .iter()
                    .filter(|field| field.is_some())
                    .count();
                    if set != 1 {
                        return Err(invalid(format!(
                            "{at}.events[{e}] must have exactly one of introduced, fixed, last_affected, limit"
                        )));
                    }
                }
                if range.events.iter().all(|e| e.introduced.is_none()) {
                    return Err(invalid(format!("{at} has no `introduced` event")));
                }
                if range.kind == RangeKind::Git && range.repo.is_none() {
                    return Err(invalid(format!("{at} is a GIT range without `repo`")));
                }
            }
        }
        Ok(self)
    }

    /// The id, then the aliases: every name this advisory goes by.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}
