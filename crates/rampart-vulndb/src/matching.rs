//! From a package's advisories to its vulnerabilities: each advisory's `affected` entries for
//! the package evaluated, withdrawn advisories left out, advisories that name one another
//! (ids and aliases) merged into one vulnerability, and the smallest upgrade that leaves every
//! known advisory of the package behind.

use rampart_version::{Order, Version};
use serde::Serialize;

use crate::affected::evaluate;
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

fn same_package(affected: &Affected, query: &Query<'_>) -> bool {
    affected.package.as_ref().is_some_and(|p| {
        p.ecosystem == query.ecosystem
            && store::key(&p.ecosystem, &p.name) == store::key(query.ecosystem, query.lookup_name())
    })
}

/// Checks `query` against `records` (those filed under its key, or any superset).
pub fn check_records(records: &[Record], query: &Query<'_>) -> PackageReport {
    let order = Order::of_ecosystem(query.ecosystem);
    let mut report = PackageReport::default();
    let live: Vec<&Record> = records.iter().filter(|r| r.withdrawn.is_none()).collect();
    // Each affecting record with the fixes it names.
    let mut hits: Vec<(&Record, Vec<String>, Vec<&Affected>)> = Vec::new();
    for record in &live {
        let mut fixed = Vec::new();
        let mut covering = Vec::new();
        for affected in record.affected.iter().filter(|a| same_package(a, query)) {
            let outcome = evaluate(affected, order, query.version);
            report.problems.extend(
                outcome
                    .problems
                    .iter()
                    .map(|p| format!("{}: {p}", record.id)),
            );
            if outcome.affected {
                fixed.extend(outcome.fixed);
                covering.push(affected);
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
    let parse = |v: &str| order.and_then(|o| o.parse(v).ok());
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
        && let Some(current) = parse(query.version)
    {
        let mut candidates: Vec<(Version, String)> = report
            .vulnerabilities
            .iter()
            .flat_map(|v| v.fixed.iter())
            .filter_map(|f| parse(f).map(|p| (p, f.clone())))
            .filter(|(p, _)| *p > current)
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        report.upgrade = candidates
            .into_iter()
            .find(|(_, text)| {
                live.iter().all(|record| {
                    record
                        .affected
                        .iter()
                        .filter(|a| same_package(a, query))
                        .all(|a| !evaluate(a, order, text).affected)
                })
            })
            .map(|(_, text)| text);
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
