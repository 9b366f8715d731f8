//! From a package's advisories to its vulnerabilities: each advisory's `affected` entries for
//! the package evaluated, withdrawn advisories left out, advisories that name one another
//! (ids and aliases) merged into one vulnerability, and the smallest upgrade that leaves every
//! known advisory of the package behind.

use std::borrow::Borrow;

use rampart_version::Order;
use serde::Serialize;

use crate::affected::{Compiled, Probe};
use crate::osv::{Affected, Record};
use crate::severity::{self, Scored};
use crate::store;

/// A package to check, as its ecosystem and OSV name it.
#[derive(Clone, Copy, Debug)]
pub struct Query<'a> {
    /// OSV's ecosystem: `PyPI`, `npm`, `Go`, `Debian:12`, `Alpine:v3.20`, ...
    pub ecosystem: &'a str,
    pub name: &'a str,
    pub version: &'a str,
    /// The source package a distribution package was built from (dpkg's `Source`, apk's
    /// origin), under which Debian, Ubuntu and Alpine file their advisories.
    pub source: Option<&'a str>,
}

impl Query<'_> {
    /// The name the ecosystem's advisories use for this package.
    pub fn lookup_name(&self) -> &str {
        let base = self.ecosystem.split(':').next().unwrap_or_default();
        match (base, self.source) {
            ("Debian" | "Ubuntu" | "Alpine", Some(source)) if !source.is_empty() => source,
            _ => self.name,
        }
    }
}

/// One vulnerability of a package: one or more advisories that name one another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Vulnerability {
    /// The id shown: the ecosystem's own database first (PYSEC, GO, RUSTSEC, DSA, ...), then
    /// GHSA, then CVE.
    pub id: String,
    /// Every other id and alias of the merged advisories, sorted.
    pub aliases: Vec<String>,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Scored>,
    /// The first fixed version after the package's in each range that covers it, ascending.
    pub fixed: Vec<String>,
    pub modified: String,
}

/// Everything known about one package.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PackageReport {
    pub vulnerabilities: Vec<Vulnerability>,
    /// The smallest version above the package's that no known advisory of the package
    /// affects, among the advisories' fixed versions; `None` when none fixes them all.
    pub upgrade: Option<String>,
    /// Advisories that could not be evaluated for this package, and why.
    pub problems: Vec<String>,
}

/// An advisory ready to evaluate: the record, and each of its `affected` entries parsed once
/// in the order of the entry's ecosystem.
#[derive(Debug)]
pub struct Advisory {
    pub record: Record,
    entries: Vec<Compiled>,
}

impl Advisory {
    pub fn new(record: Record) -> Advisory {
        let entries = record
            .affected
            .iter()
            .map(|affected| {
                let order = affected
                    .package
                    .as_ref()
                    .and_then(|p| Order::of_ecosystem(&p.ecosystem));
                Compiled::new(affected, order)
            })
            .collect();
        Advisory { record, entries }
    }
}

/// Checks `query` against `advisories` (those filed under its key, or any superset).
pub fn check_records<A: Borrow<Advisory>>(advisories: &[A], query: &Query<'_>) -> PackageReport {
    let order = Order::of_ecosystem(query.ecosystem);
    let key = store::key(query.ecosystem, query.lookup_name());
    let same_package = |affected: &Affected| {
        affected.package.as_ref().is_some_and(|p| {
            p.ecosystem == query.ecosystem && store::key(&p.ecosystem, &p.name) == key
        })
    };
    // The live records' entries for the package: the package's version and every upgrade
    // candidate are evaluated against them. An entry's order is its ecosystem's, which is the
    // query's.
    let live: Vec<(&Record, Vec<(&Affected, &Compiled)>)> = advisories
        .iter()
        .map(Borrow::borrow)
        .filter(|a| a.record.withdrawn.is_none())
        .map(|a| {
            let entries = a
                .record
                .affected
                .iter()
                .zip(&a.entries)
                .filter(|(affected, _)| same_package(affected))
                .collect();
            (&a.record, entries)
        })
        .collect();
    let probe = Probe::new(query.version, order);
    let mut report = PackageReport::default();
    // Each affecting record with the fixes it names and the entries that cover the version.
    let mut hits: Vec<(&Record, Vec<String>, Vec<&Affected>)> = Vec::new();
    for (record, entries) in &live {
        let mut fixed = Vec::new();
        let mut covering = Vec::new();
        for (affected, compiled) in entries {
            let outcome = compiled.evaluate(&probe);
            report.problems.extend(
                outcome
                    .problems
                    .iter()
                    .map(|p| format!("{}: {p}", record.id)),
            );
            if outcome.affected {
                fixed.extend(outcome.fixed);
                covering.push(*affected);
            }
        }
        if !covering.is_empty() {
            hits.push((record, fixed, covering));
        }
    }
    report.problems.sort();
    report.problems.dedup();

    // Merge advisories that share a name: union-find over the hits.
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: std::collections::HashMap<&str, usize> = Default::default();
    for (i, (record, _, _)) in hits.iter().enumerate() {
        for name in record.names() {
            if let Some(&j) = owner.get(name) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            } else {
                owner.insert(name, i);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..hits.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    for members in groups.values() {
        let records: Vec<&Record> = members.iter().map(|&i| hits[i].0).collect();
        let id = records
            .iter()
            .map(|r| r.id.as_str())
            .min_by_key(|id| (id_rank(id), *id))
            .unwrap_or_default()
            .to_owned();
        let mut aliases: Vec<String> = records
            .iter()
            .flat_map(|r| r.names())
            .filter(|n| *n != id)
            .map(str::to_owned)
            .collect();
        aliases.sort();
        aliases.dedup();
        let primary = records.iter().find(|r| r.id == id).unwrap_or(&records[0]);
        let summary = std::iter::once(primary)
            .chain(records.iter())
            .find_map(|r| describe(r))
            .unwrap_or_default();
        let severities: Vec<&crate::osv::Severity> = members
            .iter()
            .flat_map(|&i| {
                let (record, _, covering) = &hits[i];
                record
                    .severity
                    .iter()
                    .chain(covering.iter().flat_map(|a| a.severity.iter()))
            })
            .collect();
        let mut fixed: Vec<String> = members.iter().flat_map(|&i| hits[i].1.clone()).collect();
        sort_versions(&mut fixed, order);
        let modified = records
            .iter()
            .map(|r| r.modified.as_str())
            .max()
            .unwrap_or_default();
        report.vulnerabilities.push(Vulnerability {
            id,
            aliases,
            summary,
            severity: severity::of(&severities),
            fixed,
            modified: modified.to_owned(),
        });
    }
    report.vulnerabilities.sort_by(|a, b| a.id.cmp(&b.id));

    // The smallest fixed version above the package's that no advisory of it affects.
    if !report.vulnerabilities.is_empty()
        && let Some(current) = probe.version()
    {
        let mut candidates: Vec<Probe<'_>> = report
            .vulnerabilities
            .iter()
            .flat_map(|v| v.fixed.iter())
            .map(|f| Probe::new(f, order))
            .filter(|p| p.version().is_some_and(|v| v > current))
            .collect();
        // Many advisories name the same fix (a release fixing dozens of them): each
        // candidate is tried once.
        candidates.sort_by(|a, b| a.version().cmp(&b.version()));
        candidates.dedup_by(|a, b| a.version() == b.version());
        report.upgrade = candidates
            .iter()
            .find(|candidate| {
                live.iter()
                    .flat_map(|(_, entries)| entries)
                    .all(|(_, entry)| !entry.evaluate(candidate).affected)
            })
            .map(|candidate| candidate.text().to_owned());
    }
    report
}

/// Which id names a merged vulnerability: the ecosystem's own databases, then GitHub's, then
/// the CVE list.
fn id_rank(id: &str) -> u8 {
    if id.starts_with("CVE-") {
        2
    } else if id.starts_with("GHSA-") {
        1
    } else {
        0
    }
}

/// The summary, or else the first line of the details.
fn describe(record: &Record) -> Option<String> {
    record
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            record
                .details
                .as_deref()
                .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
        })
        .map(|s| s.trim().to_owned())
}

/// In the ecosystem's order, each version parsed once; versions it refuses (or all, without
/// an order) after the valid ones, by their text, so that the comparison stays a total order.
fn sort_versions(versions: &mut Vec<String>, order: Option<Order>) {
    versions.sort_by_cached_key(|text| {
        let parsed = order.and_then(|o| o.parse(text).ok());
        (parsed.is_none(), parsed, text.clone())
    });
    versions.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_versions_sort_in_the_ecosystems_order_with_refused_ones_last() {
        let mut versions: Vec<String> = ["1.10.0", "not a version", "1.2.0", "1.2.0", "0.9"]
            .map(str::to_owned)
            .to_vec();
        sort_versions(&mut versions, Some(Order::Pep440));
        assert_eq!(versions, ["0.9", "1.2.0", "1.10.0", "not a version"]);
    }
}
