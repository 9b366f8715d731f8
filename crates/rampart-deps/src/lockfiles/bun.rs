//! Bun's text lockfile, `bun.lock` (JSON with trailing commas). `workspaces` lists what each
//! project asked for; `packages` is keyed by install path (`lodash`, `express/debug`), each an
//! array whose first item is `name@version` (`name@workspace:…`, `name@github:…` for packages
//! not from the registry).

use std::collections::BTreeMap;

use rampart_source::Node;

use crate::lockfile::Reading;
use crate::lockfiles::spanned::{document, line_of};
use crate::{Ecosystem, Package, Relation};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let Some(root) = document(reading, text) else {
        return;
    };
    // Name → whether only a development dependency, over every workspace.
    let mut asked: BTreeMap<&str, bool> = BTreeMap::new();
    for workspace in root
        .get("workspaces")
        .map(Node::entries)
        .unwrap_or_default()
    {
        for (key, dev) in [
            ("dependencies", false),
            ("optionalDependencies", false),
            ("peerDependencies", false),
            ("devDependencies", true),
        ] {
            for entry in workspace
                .value
                .get(key)
                .map(Node::entries)
                .unwrap_or_default()
            {
                *asked.entry(entry.key.as_str()).or_insert(dev) &= dev;
            }
        }
    }
    for entry in root.get("packages").map(Node::entries).unwrap_or_default() {
        let line = line_of(entry.key_span);
        let Some(spec) = entry.value.items().first().and_then(Node::as_str) else {
            reading.problem(line, format!("`{}` names no package", entry.key));
            continue;
        };
        let Some(at) = spec
            .get(1..)
            .and_then(|rest| rest.find('@'))
            .map(|at| at + 1)
        else {
            reading.problem(line, format!("no version in `{spec}`"));
            continue;
        };
        let (name, version) = (&spec[..at], &spec[at + 1..]);
        if version.contains(':') {
            // A workspace, link, file or git package: not from the registry.
            continue;
        }
        let top_level = !entry.key.contains('/')
            || entry.key.starts_with('@') && entry.key.matches('/').count() == 1;
        let only_dev = top_level
            .then(|| asked.get(entry.key.as_str()).copied())
            .flatten();
        let relation = if only_dev.is_some() {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        let found = reading.found(line);
        let package = Package::new(Ecosystem::Npm, name, version, found)
            .with_relation(Some(relation))
            .with_dev(only_dev.unwrap_or(false));
        reading.packages.push(package);
    }
}

#[cfg(test)]
mod tests {
    use crate::{Lockfile, Relation};

    #[test]
    fn workspaces_say_what_is_direct() {
        let text = r#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": {
        "express": "^4.19.2",
      },
      "devDependencies": {
        "@types/bun": "latest",
      },
    },
  },
  "packages": {
    "@types/bun": ["@types/bun@1.1.6", "", { "dependencies": { "bun-types": "1.1.20" } }, "sha512-x"],

    "debug": ["debug@2.6.9", "", {}, "sha512-y"],

    "express": ["express@4.19.2", "", {}, "sha512-z"],

    "express/debug": ["debug@4.3.4", "", {}, "sha512-w"],

    "lib": ["lib@workspace:packages/lib"],
  }
}
"#;
        let reading = Lockfile::BunLock.read("bun.lock", text);
        assert!(reading.problems.is_empty(), "{:?}", reading.problems);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.relation,
                    p.dev,
                    p.found.line,
                )
            })
            .collect();
        let direct = Some(Relation::Direct);
        let transitive = Some(Relation::Transitive);
        assert_eq!(
            got,
            [
                ("@types/bun", "1.1.6", direct, true, Some(15)),
                ("debug", "2.6.9", transitive, false, Some(17)),
                ("express", "4.19.2", direct, false, Some(19)),
                ("debug", "4.3.4", transitive, false, Some(21)),
            ]
        );
    }
}
