//! pnpm's `pnpm-lock.yaml`, lockfile versions 5 to 9. `packages` is keyed by
//! `/name/1.2.3_peer@1` (v5), `/name@1.2.3(peer@1)` (v6) or `name@1.2.3` (v9, whose
//! `snapshots` repeat the keys with peers); `importers` (or, in a single project's v5 file,
//! the top level) lists what each project asked for, so direct and dev are known.

use std::collections::BTreeMap;

use rampart_source::Node;

use crate::lockfile::Reading;
use crate::lockfiles::spanned::{document, line_of, scalar_text};
use crate::{Ecosystem, Package, Relation};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let Some(root) = document(reading, text) else {
        return;
    };
    let slashed = root
        .get("lockfileVersion")
        .and_then(scalar_text)
        .is_some_and(|version| version.starts_with('5'));
    // (name, version) → whether only a development dependency, for what the projects asked.
    let mut direct: BTreeMap<(String, String), bool> = BTreeMap::new();
    let importers = root.get("importers").map(Node::entries);
    let projects: Vec<&Node> = match importers {
        Some(entries) => entries.iter().map(|e| &e.value).collect(),
        None => vec![&root],
    };
    for project in projects {
        for (key, dev) in [
            ("dependencies", false),
            ("optionalDependencies", false),
            ("devDependencies", true),
        ] {
            for entry in project.get(key).map(Node::entries).unwrap_or_default() {
                // `1.2.3(peer@1)`, or `{ specifier, version }` since v6.
                let version = entry.value.get("version").unwrap_or(&entry.value);
                let Some(version) = scalar_text(version) else {
                    continue;
                };
                let version = without_peers(&version, slashed).to_owned();
                let only_dev = direct
                    .entry((entry.key.to_string(), version))
                    .or_insert(dev);
                *only_dev &= dev;
            }
        }
    }
    for entry in root.get("packages").map(Node::entries).unwrap_or_default() {
        let info = &entry.value;
        let line = line_of(entry.key_span);
        let key = without_peers(entry.key.trim_start_matches('/'), slashed);
        let parsed = if slashed {
            key.rsplit_once('/')
        } else {
            key.get(1..)
                .and_then(|rest| rest.find('@'))
                .map(|at| (&key[..=at], &key[at + 2..]))
        };
        // Tarball and git packages name themselves.
        let name = info.get("name").and_then(Node::as_str);
        let version = info.get("version").and_then(scalar_text);
        let (name, version) = match (name, version, parsed) {
            (Some(name), Some(version), _) => (name.to_owned(), version),
            (_, _, Some((name, version))) => (name.to_owned(), version.to_owned()),
            _ => {
                reading.problem(line, format!("cannot tell the package of `{}`", entry.key));
                continue;
            }
        };
        let asked = direct.get(&(name.clone(), version.clone()));
        let relation = if asked.is_some() {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        let dev = asked
            .copied()
            .unwrap_or_else(|| info.get("dev").and_then(Node::as_bool) == Some(true));
        let found = reading.found(line);
        let package = Package::new(Ecosystem::Npm, &name, &version, found)
            .with_relation(Some(relation))
            .with_dev(dev);
        reading.packages.push(package);
    }
}

/// A version or key without the peer dependencies pnpm appends: `(react@18.2.0)` since v6,
/// `_react@18.2.0` in v5 (after the version: names such as `string_decoder` hold `_` too, and
/// v5 writes a peer's `/` as `+`).
fn without_peers(text: &str, slashed: bool) -> &str {
    let cut = if slashed {
        let version = text.rfind('/').map_or(0, |slash| slash + 1);
        text[version..].find('_').map(|at| version + at)
    } else {
        text.find('(')
    };
    cut.map_or(text, |at| &text[..at])
}

#[cfg(test)]
mod tests {
    use crate::{Lockfile, Relation};

    type Summary = (String, String, Option<Relation>, bool, Option<u32>);

    fn packages(text: &str) -> Vec<Summary> {
        let reading = Lockfile::PnpmLock.read("pnpm-lock.yaml", text);
        assert!(reading.problems.is_empty(), "{:?}", reading.problems);
        reading
            .packages
            .iter()
            .map(|p| {
                let (name, version) = (p.name.clone(), p.version.clone());
                (name, version, p.relation, p.dev, p.found.line)
            })
            .collect()
    }

    fn owned(name: &str, version: &str, direct: bool, dev: bool, line: u32) -> Summary {
        let relation = if direct {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        let (name, version) = (name.to_owned(), version.to_owned());
        (name, version, Some(relation), dev, Some(line))
    }

    #[test]
    fn version_9() {
        let text = r#"lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      react-dom:
        specifier: ^18.2.0
        version: 18.2.0(react@18.2.0)
    devDependencies:
      typescript:
        specifier: ^5.4.0
        version: 5.4.5

packages:

  js-tokens@4.0.0:
    resolution: {integrity: sha512-RdJUflcE3cUzKiMqQgsCu06FPu9UdIJO0beYbPhHN4k6apgJtifcoCtT9bcxOpYBtpD2kCM6Sbzg4CausW/PKQ==}

  react-dom@18.2.0:
    resolution: {integrity: sha512-x}
    peerDependencies:
      react: ^18.2.0

  typescript@5.4.5:
    resolution: {integrity: sha512-y}

  '@types/node@20.12.7':
    resolution: {integrity: sha512-z}

snapshots:

  react-dom@18.2.0(react@18.2.0):
    dependencies:
      react: 18.2.0
"#;
        assert_eq!(
            packages(text),
            [
                owned("js-tokens", "4.0.0", false, false, 17),
                owned("react-dom", "18.2.0", true, false, 20),
                owned("typescript", "5.4.5", true, true, 25),
                owned("@types/node", "20.12.7", false, false, 28),
            ]
        );
    }

    #[test]
    fn version_5_and_6_keys() {
        let v5 = "lockfileVersion: 5.4\n\nspecifiers:\n  ms: ^2.1.3\n\ndependencies:\n  ms: 2.1.3\n\n\
                  packages:\n\n  /ms/2.1.3:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n\
                  \x20 /@babel/core/7.24.0_supports-color@5.5.0:\n    resolution: {integrity: sha512-y}\n    dev: true\n";
        assert_eq!(
            packages(v5),
            [
                owned("ms", "2.1.3", true, false, 11),
                owned("@babel/core", "7.24.0", false, true, 15),
            ]
        );
        let v6 = "lockfileVersion: '6.0'\n\ndependencies:\n  ms:\n    specifier: ^2.1.3\n    version: 2.1.3\n\n\
                  packages:\n\n  /ms@2.1.3:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n\
                  \x20 /@babel/core@7.24.0(supports-color@5.5.0):\n    resolution: {integrity: sha512-y}\n    dev: true\n";
        assert_eq!(
            packages(v6),
            [
                owned("ms", "2.1.3", true, false, 10),
                owned("@babel/core", "7.24.0", false, true, 14),
            ]
        );
    }
}
