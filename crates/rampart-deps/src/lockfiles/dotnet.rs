//! NuGet's `packages.lock.json`: for each target framework, each package with its `type`
//! (`Direct`, `Transitive`, `CentralTransitive`, or `Project` for the solution's own projects)
//! and `resolved` version. A package several frameworks use is listed once.

use std::collections::BTreeMap;

use rampart_source::Node;

use crate::lockfile::Reading;
use crate::lockfiles::spanned::{document, line_of};
use crate::{Ecosystem, Package, Relation};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let Some(root) = document(reading, text) else {
        return;
    };
    // (name, version) → (line of its first mention, direct in any framework).
    let mut seen: BTreeMap<(&str, &str), (Option<u32>, bool)> = BTreeMap::new();
    for framework in root
        .get("dependencies")
        .map(Node::entries)
        .unwrap_or_default()
    {
        for entry in framework.value.entries() {
            let line = line_of(entry.key_span);
            let kind = entry.value.get("type").and_then(Node::as_str);
            if kind == Some("Project") {
                continue;
            }
            let Some(version) = entry.value.get("resolved").and_then(Node::as_str) else {
                reading.problem(line, format!("`{}` has no resolved version", entry.key));
                continue;
            };
            let direct = kind == Some("Direct");
            let first = seen.entry((&entry.key, version)).or_insert((line, direct));
            first.1 |= direct;
        }
    }
    for ((name, version), (line, direct)) in seen {
        let relation = if direct {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        let found = reading.found(line);
        let package = Package::new(Ecosystem::NuGet, name, version, found);
        reading.packages.push(package.with_relation(Some(relation)));
    }
}

#[cfg(test)]
mod tests {
    use crate::{Lockfile, Relation};

    #[test]
    fn frameworks_and_types() {
        let text = r#"{
  "version": 1,
  "dependencies": {
    "net8.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.3, )",
        "resolved": "13.0.3",
        "contentHash": "HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ=="
      },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.5" },
      "MyLib": { "type": "Project" }
    },
    "net6.0": {
      "Newtonsoft.Json": { "type": "Direct", "resolved": "13.0.3" },
      "Broken": { "type": "Transitive" }
    }
  }
}"#;
        let reading = Lockfile::NugetLock.read("packages.lock.json", text);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.relation,
                    p.found.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Newtonsoft.Json", "13.0.3", Some(Relation::Direct), Some(5)),
                (
                    "System.Memory",
                    "4.5.5",
                    Some(Relation::Transitive),
                    Some(11)
                ),
            ]
        );
        assert_eq!(reading.problems[0].line, Some(16));
    }
}
