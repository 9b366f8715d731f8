//! npm's `package-lock.json` (docs.npmjs.com, "package-lock.json"). Versions 2 and 3 list every
//! installed folder under `packages`, keyed by its path (`node_modules/a/node_modules/b`), the
//! root project under `""`; version 1 (and the copy version 2 keeps for old npm) nests
//! `dependencies`. A package the root (or a workspace) names in its dependencies and that is
//! installed at the top of `node_modules` is direct.

use std::collections::HashSet;

use rampart_source::{Node, Span};

use crate::lockfile::Reading;
use crate::lockfiles::spanned::{document, line_of};
use crate::{Ecosystem, Package, Relation};

const DEPENDENCY_KEYS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let Some(root) = document(reading, text) else {
        return;
    };
    match root.get("packages") {
        Some(packages) => read_packages(reading, packages),
        None => read_dependencies(reading, root.get("dependencies")),
    }
}

/// Lockfile versions 2 and 3.
fn read_packages(reading: &mut Reading, packages: &Node) {
    // What the root project and its workspaces (folders outside node_modules) depend on.
    let mut wanted: HashSet<&str> = HashSet::new();
    for entry in packages.entries() {
        if !entry.key.contains("node_modules/") {
            for key in DEPENDENCY_KEYS {
                wanted.extend(entry.value.get(key).into_iter().flat_map(names));
            }
        }
    }
    for entry in packages.entries() {
        let Some(at) = entry.key.rfind("node_modules/") else {
            continue;
        };
        let folder_name = &entry.key[at + "node_modules/".len()..];
        let info = &entry.value;
        if info.get("link").and_then(Node::as_bool) == Some(true) {
            // A workspace's symbolic link: the project's own code.
            continue;
        }
        let name = info
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or(folder_name);
        let Some(version) = info.get("version").and_then(Node::as_str) else {
            reading.problem(
                Some(entry.key_span.line),
                format!("`{}` has no version", entry.key),
            );
            continue;
        };
        let top_level = at == 0;
        let relation = if top_level && wanted.contains(folder_name) {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        let dev = flag(info, "dev") || flag(info, "devOptional");
        push(reading, name, version, entry.key_span, Some(relation), dev);
    }
}

/// Lockfile version 1: `dependencies` nested by folder. It does not say what the root asked
/// for, so the relation stays unknown.
fn read_dependencies(reading: &mut Reading, dependencies: Option<&Node>) {
    let mut pending: Vec<&Node> = dependencies.into_iter().collect();
    while let Some(dependencies) = pending.pop() {
        for entry in dependencies.entries() {
            let info = &entry.value;
            match info.get("version").and_then(Node::as_str) {
                // `file:`, `git+…` and other non-registry sources name no version.
                Some(version) if !version.contains(':') => {
                    let dev = flag(info, "dev");
                    push(reading, &entry.key, version, entry.key_span, None, dev);
                }
                Some(_) => {}
                None => reading.problem(
                    Some(entry.key_span.line),
                    format!("`{}` has no version", entry.key),
                ),
            }
            pending.extend(info.get("dependencies"));
        }
    }
}

fn push(
    reading: &mut Reading,
    name: &str,
    version: &str,
    span: Span,
    relation: Option<Relation>,
    dev: bool,
) {
    let found = reading.found(line_of(span));
    let package = Package::new(Ecosystem::Npm, name, version, found)
        .with_relation(relation)
        .with_dev(dev);
    reading.packages.push(package);
}

fn names(dependencies: &Node) -> impl Iterator<Item = &str> {
    dependencies
        .entries()
        .iter()
        .map(|entry| entry.key.as_str())
}

fn flag(info: &Node, key: &str) -> bool {
    info.get(key).and_then(Node::as_bool) == Some(true)
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    use super::*;

    /// Name, version, relation, dev and line of each package.
    type Summary = (String, String, Option<Relation>, bool, Option<u32>);

    fn summary(reading: &Reading) -> Vec<Summary> {
        reading
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone(),
                    p.relation,
                    p.dev,
                    p.found.line,
                )
            })
            .collect()
    }

    #[test]
    fn version_3_lists_folders() {
        let text = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app",
      "dependencies": { "express": "^4.19.2", "@babel/core": "^7.0.0" },
      "devDependencies": { "jest": "^29" }
    },
    "node_modules/express": { "version": "4.19.2" },
    "node_modules/@babel/core": { "version": "7.24.0" },
    "node_modules/jest": { "version": "29.7.0", "dev": true },
    "node_modules/debug": { "version": "2.6.9" },
    "node_modules/express/node_modules/debug": { "version": "4.3.4" },
    "node_modules/app-lib": { "resolved": "packages/lib", "link": true },
    "node_modules/string-width-cjs": { "name": "string-width", "version": "4.2.3" },
    "packages/lib": { "version": "1.0.0", "dependencies": { "debug": "*" } }
  }
}"#;
        let reading = Lockfile::PackageLock.read("package-lock.json", text);
        let direct = Some(Relation::Direct);
        let transitive = Some(Relation::Transitive);
        let owned = |name: &str, version: &str, relation, dev, line| {
            (
                name.to_owned(),
                version.to_owned(),
                relation,
                dev,
                Some(line),
            )
        };
        assert_eq!(
            summary(&reading),
            [
                owned("express", "4.19.2", direct, false, 10),
                owned("@babel/core", "7.24.0", direct, false, 11),
                owned("jest", "29.7.0", direct, true, 12),
                // The workspace packages/lib asks for it.
                owned("debug", "2.6.9", direct, false, 13),
                owned("debug", "4.3.4", transitive, false, 14),
                owned("string-width", "4.2.3", transitive, false, 16),
            ]
        );
        assert_eq!(reading.packages[1].purl, "pkg:npm/%40babel/core@7.24.0");
    }

    #[test]
    fn version_1_nests_dependencies() {
        let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "ms": { "version": "2.0.0" },
    "debug": {
      "version": "2.6.9",
      "dev": true,
      "dependencies": { "ms": { "version": "2.1.3" } }
    },
    "local": { "version": "file:../local" },
    "broken": { "resolved": "x" }
  }
}"#;
        let reading = Lockfile::PackageLock.read("package-lock.json", text);
        let got: Vec<_> = summary(&reading)
            .into_iter()
            .map(|(name, version, _, dev, line)| (name, version, dev, line))
            .collect();
        assert_eq!(
            got,
            [
                ("ms".to_owned(), "2.0.0".to_owned(), false, Some(4)),
                ("debug".to_owned(), "2.6.9".to_owned(), true, Some(5)),
                ("ms".to_owned(), "2.1.3".to_owned(), false, Some(8)),
            ]
        );
        assert_eq!(reading.problems[0].line, Some(11));
    }

    #[test]
    fn broken_json_is_a_problem_with_its_line() {
        let reading =
            Lockfile::PackageLock.read("package-lock.json", "{\n  \"packages\": {\n  ,\n");
        assert!(reading.packages.is_empty());
        assert_eq!(reading.problems.len(), 1);
        assert!(reading.problems[0].line.is_some());
    }
}
