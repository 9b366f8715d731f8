//! Python lockfiles: Poetry's `poetry.lock`, Pipenv's `Pipfile.lock`, uv's `uv.lock` and PDM's
//! `pdm.lock`. Poetry, Pipenv and PDM do not say what the project asked for (its
//! `pyproject.toml` or `Pipfile` does); uv does, through the dependencies of the project's own
//! entries.

use std::collections::BTreeSet;

use rampart_source::Node;
use serde::Deserialize;

use crate::lockfile::Reading;
use crate::lockfiles::spanned::{document, line_of, toml_packages};
use crate::{Ecosystem, Package, Relation};

#[derive(Deserialize)]
struct PoetryPackage {
    name: String,
    version: String,
    /// Poetry before 1.5: `main` or `dev`.
    #[serde(default)]
    category: Option<String>,
    /// Poetry 2: the dependency groups that need the package.
    #[serde(default)]
    groups: Option<Vec<String>>,
    #[serde(default)]
    source: Option<PoetrySource>,
}

#[derive(Deserialize)]
struct PoetrySource {
    #[serde(rename = "type")]
    kind: String,
}

pub(crate) fn read_poetry(reading: &mut Reading, text: &str) {
    for (line, package) in toml_packages::<PoetryPackage>(reading, text) {
        if package.source.is_some_and(|s| s.kind == "directory") {
            // A folder of the project: its own code.
            continue;
        }
        let dev = package.category.as_deref() == Some("dev")
            || package
                .groups
                .is_some_and(|groups| !groups.iter().any(|g| g == "main"));
        push(reading, &package.name, &package.version, line, None, dev);
    }
}

#[derive(Deserialize)]
struct PdmPackage {
    name: String,
    version: String,
    #[serde(default)]
    groups: Option<Vec<String>>,
}

pub(crate) fn read_pdm(reading: &mut Reading, text: &str) {
    for (line, package) in toml_packages::<PdmPackage>(reading, text) {
        let dev = package
            .groups
            .is_some_and(|groups| !groups.iter().any(|g| g == "default"));
        push(reading, &package.name, &package.version, line, None, dev);
    }
}

#[derive(Deserialize)]
struct UvPackage {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: Option<toml::Table>,
    #[serde(default)]
    dependencies: Vec<UvDependency>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: toml::Table,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: toml::Table,
}

#[derive(Deserialize)]
struct UvDependency {
    name: String,
}

impl UvPackage {
    /// The project's own entries: its packages in editable or virtual form, or from a folder.
    fn is_own(&self) -> bool {
        self.source.as_ref().is_some_and(|source| {
            ["editable", "virtual", "directory", "path"]
                .iter()
                .any(|key| source.contains_key(*key))
        })
    }
}

/// Dependency names listed in a table of groups (`dev = [{ name = "pytest" }]`).
fn group_names(groups: &toml::Table) -> impl Iterator<Item = &str> {
    groups
        .values()
        .filter_map(toml::Value::as_array)
        .flatten()
        .filter_map(|dependency| dependency.get("name")?.as_str())
}

pub(crate) fn read_uv(reading: &mut Reading, text: &str) {
    let packages = toml_packages::<UvPackage>(reading, text);
    let own = || packages.iter().map(|(_, p)| p).filter(|p| p.is_own());
    let runtime: BTreeSet<String> = own()
        .flat_map(|p| {
            let listed = p.dependencies.iter().map(|d| d.name.as_str());
            listed.chain(group_names(&p.optional_dependencies))
        })
        .map(normalise)
        .collect();
    let dev: BTreeSet<String> = own()
        .flat_map(|p| group_names(&p.dev_dependencies))
        .map(normalise)
        .collect();
    for (line, package) in packages.iter().filter(|(_, p)| !p.is_own()) {
        let Some(version) = &package.version else {
            reading.problem(*line, format!("`{}` has no version", package.name));
            continue;
        };
        let name = normalise(&package.name);
        let relation = if runtime.contains(&name) || dev.contains(&name) {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        let only_dev = dev.contains(&name) && !runtime.contains(&name);
        push(
            reading,
            &package.name,
            version,
            *line,
            Some(relation),
            only_dev,
        );
    }
}

/// PEP 503's normalised name: lowercase, runs of `-`, `_` and `.` as one `-`.
pub(crate) fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

pub(crate) fn read_pipfile(reading: &mut Reading, text: &str) {
    let Some(root) = document(reading, text) else {
        return;
    };
    for (section, dev) in [("default", false), ("develop", true)] {
        for entry in root.get(section).map(Node::entries).unwrap_or_default() {
            // Pinned as `==1.2.3`; git and path entries name no version.
            let Some(version) = entry.value.get("version").and_then(Node::as_str) else {
                continue;
            };
            let Some(version) = version.strip_prefix("==") else {
                reading.problem(
                    line_of(entry.key_span),
                    format!("`{}` is not pinned with `==`: {version}", entry.key),
                );
                continue;
            };
            let line = line_of(entry.key_span);
            push(reading, &entry.key, version, line, None, dev);
        }
    }
}

fn push(
    reading: &mut Reading,
    name: &str,
    version: &str,
    line: Option<u32>,
    relation: Option<Relation>,
    dev: bool,
) {
    let found = reading.found(line);
    let package = Package::new(Ecosystem::PyPI, name, version, found)
        .with_relation(relation)
        .with_dev(dev);
    reading.packages.push(package);
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    use super::*;

    fn summary(reading: &Reading) -> Vec<(&str, &str, Option<Relation>, bool)> {
        reading
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.relation, p.dev))
            .collect()
    }

    #[test]
    fn poetry_groups_and_categories() {
        let text = r#"
[[package]]
name = "certifi"
version = "2024.2.2"
groups = ["main"]

[[package]]
name = "pytest"
version = "8.2.0"
groups = ["dev"]

[[package]]
name = "old-style"
version = "1.0"
category = "dev"

[[package]]
name = "mylib"
version = "0.1.0"

[package.source]
type = "directory"
url = "../mylib"

[[package]]
name = "broken"

[metadata]
lock-version = "2.1"
"#;
        let reading = Lockfile::PoetryLock.read("poetry.lock", text);
        assert_eq!(
            summary(&reading),
            [
                ("certifi", "2024.2.2", None, false),
                ("pytest", "8.2.0", None, true),
                ("old-style", "1.0", None, true),
            ]
        );
        assert_eq!(reading.packages[0].found.line, Some(2));
        assert_eq!(reading.problems.len(), 1);
        assert_eq!(reading.problems[0].line, Some(25));
    }

    #[test]
    fn uv_says_what_the_project_asked_for() {
        let text = r#"version = 1
requires-python = ">=3.12"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "flask" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "Flask"
version = "3.0.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "jinja2" }]

[[package]]
name = "jinja2"
version = "3.1.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.2.0"
source = { registry = "https://pypi.org/simple" }
"#;
        let reading = Lockfile::UvLock.read("uv.lock", text);
        let direct = Some(Relation::Direct);
        assert_eq!(
            summary(&reading),
            [
                ("Flask", "3.0.3", direct, false),
                ("jinja2", "3.1.4", Some(Relation::Transitive), false),
                ("pytest", "8.2.0", direct, true),
            ]
        );
    }

    #[test]
    fn pdm_groups() {
        let text = "[metadata]\ngroups = [\"default\", \"test\"]\n\n\
                    [[package]]\nname = \"idna\"\nversion = \"3.7\"\ngroups = [\"default\"]\n\n\
                    [[package]]\nname = \"pytest\"\nversion = \"8.2.0\"\ngroups = [\"test\"]\n";
        let reading = Lockfile::PdmLock.read("pdm.lock", text);
        assert_eq!(
            summary(&reading),
            [
                ("idna", "3.7", None, false),
                ("pytest", "8.2.0", None, true)
            ]
        );
    }

    #[test]
    fn pipfile_sections() {
        let text = r#"{
    "_meta": {"hash": {"sha256": "x"}},
    "default": {
        "requests": {"hashes": [], "version": "==2.32.3"},
        "mylib": {"path": "."},
        "loose": {"version": "*"}
    },
    "develop": {
        "pytest": {"version": "==8.2.0"}
    }
}"#;
        let reading = Lockfile::PipfileLock.read("Pipfile.lock", text);
        assert_eq!(
            summary(&reading),
            [
                ("requests", "2.32.3", None, false),
                ("pytest", "8.2.0", None, true)
            ]
        );
        assert_eq!(reading.packages[0].found.line, Some(4));
        assert_eq!(reading.problems[0].line, Some(6));
        assert_eq!(normalise("Zope.Interface__x"), "zope-interface-x");
    }
}
