//! Projects whose lockfiles hold packages named and versioned after real advisories, for the
//! vulnerability matching benchmarks: a `requirements.txt` of PyPI packages and a `go.mod` of
//! Go modules per project, versions drawn from the advisories' own range bounds and lists
//! (so that about half the packages are affected, as in an unmaintained estate).

use std::collections::BTreeMap;

use rampart_vulndb::osv::Record;

use crate::ManifestFile;
use crate::rng::Rng;

/// `count` packages in projects of at most one of each package, the same for the same seed.
pub fn generate_lockfiles(count: usize, seed: u64, records: &[Record]) -> Vec<ManifestFile> {
    // Every package of the advisories, with the versions they name.
    let mut packages: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for record in records {
        for affected in &record.affected {
            let Some(package) = &affected.package else {
                continue;
            };
            if !matches!(package.ecosystem.as_str(), "PyPI" | "Go")
                || matches!(package.name.as_str(), "stdlib" | "toolchain")
            {
                continue;
            }
            let versions = packages
                .entry((package.ecosystem.as_str(), package.name.as_str()))
                .or_default();
            versions.extend(affected.versions.iter().map(String::as_str));
            for range in affected
                .ranges
                .iter()
                .filter(|r| r.kind != rampart_vulndb::osv::RangeKind::Git)
            {
                for event in &range.events {
                    versions.extend(
                        [&event.introduced, &event.fixed, &event.last_affected]
                            .into_iter()
                            .flatten()
                            .map(String::as_str)
                            .filter(|v| *v != "0"),
                    );
                }
            }
        }
    }
    packages.retain(|_, versions| !versions.is_empty());
    let all: Vec<_> = packages.into_iter().collect();
    let mut rng = Rng::new(seed);
    let mut files = Vec::new();
    let mut left = count;
    let mut project = 0;
    while left > 0 && !all.is_empty() {
        let take = left.min(all.len());
        let mut requirements = String::new();
        let mut go_mod = format!("module example.com/project{project}\n\ngo 1.22\n\nrequire (\n");
        for ((ecosystem, name), versions) in &all[..take] {
            let version = rng.pick(versions);
            if *ecosystem == "PyPI" {
                requirements.push_str(&format!("{name}=={version}\n"));
            } else {
                let v = if version.starts_with('v') { "" } else { "v" };
                go_mod.push_str(&format!("\t{name} {v}{version}\n"));
            }
        }
        go_mod.push_str(")\n");
        files.push(ManifestFile {
            path: format!("project{project:03}/requirements.txt"),
            text: requirements,
        });
        files.push(ManifestFile {
            path: format!("project{project:03}/go.mod"),
            text: go_mod,
        });
        left -= take;
        project += 1;
    }
    files
}
