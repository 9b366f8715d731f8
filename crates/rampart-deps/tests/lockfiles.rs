//! Lockfiles written by the real tools (see `fixtures/lockfiles/README.md`), read by rampart
//! and compared with what the tool itself lists as installed (`expected.txt`, one `name
//! version` a line).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use rampart_deps::{Ecosystem, Lockfile, Relation};

/// PEP 503's normalised name, as `poetry show` and `uv export` print names.
fn normalised(ecosystem: Ecosystem, name: &str) -> String {
    if ecosystem != Ecosystem::PyPI {
        return name.to_owned();
    }
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// Reads the lockfile of a fixture folder; checks its packages against `expected.txt`.
fn read_and_compare(folder: &str, lockfile: &str) -> rampart_deps::Reading {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lockfiles")
        .join(folder);
    let text = fs::read_to_string(dir.join(lockfile)).unwrap();
    let kind = Lockfile::of_name(lockfile).unwrap();
    let reading = kind.read(lockfile, &text);
    assert!(
        reading.problems.is_empty(),
        "{folder}: {:?}",
        reading.problems
    );
    let got: BTreeSet<String> = reading
        .packages
        .iter()
        .map(|p| format!("{} {}", normalised(p.ecosystem, &p.name), p.version))
        .collect();
    let expected: BTreeSet<String> = fs::read_to_string(dir.join("expected.txt"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(got, expected, "{folder}");
    reading
}

fn relation_of(reading: &rampart_deps::Reading, name: &str) -> Option<Relation> {
    reading
        .packages
        .iter()
        .find(|p| p.name == name)
        .unwrap()
        .relation
}

#[test]
fn npm_package_lock_v3() {
    let reading = read_and_compare("npm", "package-lock.json");
    assert_eq!(relation_of(&reading, "express"), Some(Relation::Direct));
    assert_eq!(
        relation_of(&reading, "body-parser"),
        Some(Relation::Transitive)
    );
    let types = reading
        .packages
        .iter()
        .find(|p| p.name == "@types/node")
        .unwrap();
    assert!(types.dev);
    assert_eq!(types.purl, "pkg:npm/%40types/node@20.12.7");
    // Every package once per folder it is installed in: npm nests a second `debug`.
    assert!(
        reading
            .packages
            .iter()
            .filter(|p| p.name == "debug")
            .count()
            >= 1
    );
}

#[test]
fn pnpm_lock_v9() {
    let reading = read_and_compare("pnpm", "pnpm-lock.yaml");
    assert_eq!(relation_of(&reading, "express"), Some(Relation::Direct));
    let types = reading
        .packages
        .iter()
        .find(|p| p.name == "@types/node")
        .unwrap();
    assert!(types.dev);
    assert_eq!(types.relation, Some(Relation::Direct));
}

#[test]
fn yarn_classic() {
    read_and_compare("yarn", "yarn.lock");
}

#[test]
fn pip_compile_with_hashes() {
    let reading = read_and_compare("pip-compile", "requirements.txt");
    assert_eq!(relation_of(&reading, "flask"), Some(Relation::Direct));
    assert_eq!(relation_of(&reading, "requests"), Some(Relation::Direct));
    assert_eq!(
        relation_of(&reading, "werkzeug"),
        Some(Relation::Transitive)
    );
}

#[test]
fn poetry_lock() {
    let reading = read_and_compare("poetry", "poetry.lock");
    let pytest = reading
        .packages
        .iter()
        .find(|p| p.name == "pytest")
        .unwrap();
    assert!(pytest.dev);
}

#[test]
fn uv_lock() {
    let reading = read_and_compare("uv", "uv.lock");
    assert_eq!(relation_of(&reading, "flask"), Some(Relation::Direct));
    assert_eq!(relation_of(&reading, "urllib3"), Some(Relation::Transitive));
    assert!(
        reading
            .packages
            .iter()
            .find(|p| p.name == "pytest")
            .unwrap()
            .dev
    );
}

#[test]
fn cargo_lock() {
    let reading = read_and_compare("cargo", "Cargo.lock");
    assert_eq!(relation_of(&reading, "serde"), Some(Relation::Direct));
    assert_eq!(
        relation_of(&reading, "serde_derive"),
        Some(Relation::Transitive)
    );
}
