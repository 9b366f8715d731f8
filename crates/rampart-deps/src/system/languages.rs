//! Language packages installed in a root file system, each known by a file of its own:
//! Python distributions by `*.dist-info/METADATA` or `*.egg-info/PKG-INFO` (core metadata:
//! `Name` and `Version` headers), Node packages by `node_modules/[@scope/]name/package.json`,
//! Go modules and Rust crates by the executables built from them (see `binaries.rs`), and the
//! lockfiles an application was installed with (`/app/package-lock.json`), except those that
//! packages ship inside `node_modules` or `site-packages`.
//! The tree is walked through [`Files`] without following links, within explicit caps.

use std::sync::Arc;

use rampart_core::{Diagnostic, FileKind, Files};
use serde::Deserialize;

use crate::system::binaries;
use crate::{Ecosystem, Found, Lockfile, Package};

/// Folders of a root file system that hold no packages, or the kernel's views.
const SKIPPED: [&str; 3] = ["/proc", "/sys", "/dev"];
/// How deep the walk goes, and how many entries it looks at.
const MAX_DEPTH: usize = 48;
const MAX_ENTRIES: usize = 4_000_000;
/// The largest metadata file read.
const MAX_METADATA_BYTES: u64 = 4 * 1024 * 1024;
/// The largest executable read for the packages built into it.
const MAX_BINARY_BYTES: u64 = 512 * 1024 * 1024;

/// Whether an image's file is where executables usually are (a `bin` or `sbin` folder, the
/// image's root, ko's `/ko-app`): the image reader keeps those, for their build information.
fn may_be_executable(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    match path.rsplit_once('/') {
        None => true,
        Some((folder, _)) => {
            let last = folder.rsplit('/').next().unwrap_or(folder);
            matches!(last, "bin" | "sbin") || folder == "ko-app"
        }
    }
}

/// Whether a path is one whose content [`packages`] reads.
pub(crate) fn reads_content(path: &str) -> bool {
    may_be_executable(path) || names_a_package(path) || application_lockfile(path).is_some()
}

/// The kind of lockfile at `path`, unless it is one a package ships (under `node_modules`,
/// `site-packages` or `dist-packages`), which says what its authors built with, not what is
/// installed.
fn application_lockfile(path: &str) -> Option<Lockfile> {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let shipped = folder
        .split('/')
        .any(|part| matches!(part, "node_modules" | "site-packages" | "dist-packages"));
    if shipped {
        return None;
    }
    Lockfile::of_name(name)
}

/// Whether a path is a package's own metadata file.
fn names_a_package(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let (Some(file), Some(folder)) = (parts.next(), parts.next()) else {
        return false;
    };
    match file {
        "METADATA" => folder.ends_with(".dist-info"),
        "PKG-INFO" => folder.ends_with(".egg-info"),
        "package.json" => {
            let owner = parts.next().unwrap_or_default();
            owner == "node_modules"
                || owner.starts_with('@') && parts.next() == Some("node_modules")
        }
        _ => false,
    }
}

/// The language packages under `/`, and the problems met reading them.
pub(crate) fn packages(files: &(impl Files + ?Sized)) -> (Vec<Package>, Vec<Diagnostic>) {
    let mut walk = Walk {
        packages: Vec::new(),
        problems: Vec::new(),
        entries: 0,
    };
    walk.folder(files, "", 0);
    (walk.packages, walk.problems)
}

struct Walk {
    packages: Vec<Package>,
    problems: Vec<Diagnostic>,
    entries: usize,
}

impl Walk {
    fn folder(&mut self, files: &(impl Files + ?Sized), folder: &str, depth: usize) {
        if depth > MAX_DEPTH || SKIPPED.contains(&folder) {
            return;
        }
        let Ok(mut names) = files.list(if folder.is_empty() { "/" } else { folder }) else {
            return;
        };
        names.sort();
        for name in names {
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                return;
            }
            let path = format!("{folder}/{name}");
            let Ok(info) = files.metadata(&path) else {
                continue;
            };
            match info.kind {
                FileKind::Directory => self.folder(files, &path, depth + 1),
                FileKind::File if names_a_package(&path) => self.file(files, &path),
                FileKind::File if application_lockfile(&path).is_some() => {
                    self.lockfile(files, &path);
                }
                FileKind::File if info.mode & 0o111 != 0 && info.size <= MAX_BINARY_BYTES => {
                    self.binary(files, &path);
                }
                _ => {}
            }
        }
    }

    fn file(&mut self, files: &(impl Files + ?Sized), path: &str) {
        let bytes = match files.read(path, MAX_METADATA_BYTES) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.problem(path, None, format!("cannot read: {error}"));
                return;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let shown: Arc<str> = Arc::from(path);
        if path.ends_with("/package.json") {
            self.node(&shown, &text);
        } else {
            self.python(&shown, &text);
        }
    }

    fn lockfile(&mut self, files: &(impl Files + ?Sized), path: &str) {
        let Some(kind) = application_lockfile(path) else {
            return;
        };
        // go.sum speaks only where no go.mod is beside it (see `Lockfiles`).
        if kind == Lockfile::GoSum {
            let go_mod = format!("{}/go.mod", path.rsplit_once('/').map_or("", |(f, _)| f));
            if files.metadata(&go_mod).is_ok() {
                return;
            }
        }
        match files.read(path, MAX_METADATA_BYTES * 16) {
            Ok(bytes) => {
                let reading = kind.read(path, &String::from_utf8_lossy(&bytes));
                self.packages.extend(reading.packages);
                for problem in reading.problems {
                    self.problem(path, problem.line, problem.message);
                }
            }
            Err(error) => self.problem(path, None, format!("cannot read: {error}")),
        }
    }

    /// An executable's compiled-in packages. One the image reader did not keep is skipped:
    /// only those where executables usually are were kept.
    fn binary(&mut self, files: &(impl Files + ?Sized), path: &str) {
        let Ok(bytes) = files.read(path, MAX_BINARY_BYTES) else {
            return;
        };
        match binaries::compiled(&bytes) {
            Ok(compiled) => {
                let shown: Arc<str> = Arc::from(path);
                for (ecosystem, name, version) in compiled {
                    let found = Found::at(&shown, None);
                    self.packages
                        .push(Package::new(ecosystem, &name, &version, found));
                }
            }
            Err(message) => self.problem(path, None, message),
        }
    }

    fn python(&mut self, path: &Arc<str>, text: &str) {
        let mut name = None;
        let mut version = None;
        for (index, line) in text.lines().enumerate() {
            if line.is_empty() {
                break;
            }
            match line.split_once(": ") {
                Some(("Name", value)) => name = Some((value.trim(), index as u32 + 1)),
                Some(("Version", value)) => version = Some(value.trim()),
                _ => {}
            }
        }
        match (name, version) {
            (Some((name, line)), Some(version)) => {
                let found = Found::at(path, Some(line));
                self.packages
                    .push(Package::new(Ecosystem::PyPI, name, version, found));
            }
            _ => self.problem(
                path,
                None,
                "core metadata without Name or Version".to_owned(),
            ),
        }
    }

    fn node(&mut self, path: &Arc<str>, text: &str) {
        #[derive(Deserialize)]
        struct Manifest {
            name: Option<String>,
            version: Option<String>,
            #[serde(default)]
            private: bool,
        }
        match serde_json::from_str::<Manifest>(text) {
            // A private package is a project's own, never published.
            Ok(manifest) if manifest.private => {}
            Ok(Manifest {
                name: Some(name),
                version: Some(version),
                ..
            }) => {
                let found = Found::at(path, None);
                self.packages
                    .push(Package::new(Ecosystem::Npm, &name, &version, found));
            }
            Ok(_) => self.problem(
                path,
                None,
                "a package.json without name or version".to_owned(),
            ),
            Err(error) => self.problem(
                path,
                Some(error.line() as u32),
                format!("not JSON: {error}"),
            ),
        }
    }

    fn problem(&mut self, path: &str, line: Option<u32>, message: String) {
        self.problems
            .push(Diagnostic::error(path.to_owned(), line, message));
    }
}

#[cfg(test)]
mod tests {
    use rampart_core::MemoryFiles;

    use super::*;

    #[test]
    fn python_and_node_packages_of_a_tree() {
        let mut files = MemoryFiles::new();
        files
            .file(
                "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\nSummary: HTTP\n\nName: not-a-header\n",
            )
            .file(
                "/usr/local/lib/python3.12/site-packages/six-1.16.0.egg-info/PKG-INFO",
                "Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\n",
            )
            .file("/app/node_modules/express/package.json", r#"{"name": "express", "version": "4.19.2"}"#)
            .file(
                "/app/node_modules/@babel/core/package.json",
                r#"{"name": "@babel/core", "version": "7.24.0"}"#,
            )
            .file("/app/node_modules/express/lib/package.json", r#"{"name": "inner"}"#)
            .file("/app/node_modules/broken/package.json", "{\n  \"name\": ")
            .file("/app/package.json", r#"{"name": "app", "version": "1.0.0", "private": true}"#)
            .file("/app/requirements.txt", "gunicorn==22.0.0\n")
            .file("/app/node_modules/left-pad/yarn.lock", "left-pad@^1:\n  version \"9.9.9\"\n")
            .file("/proc/1/environ", "x")
            .symlink("/loop", "/");
        let (packages, problems) = packages(&files);
        let got: Vec<_> = packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem,
                    p.name.as_str(),
                    p.version.as_str(),
                    p.found.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Ecosystem::Npm, "@babel/core", "7.24.0", None),
                (Ecosystem::Npm, "express", "4.19.2", None),
                (Ecosystem::PyPI, "gunicorn", "22.0.0", Some(1)),
                (Ecosystem::PyPI, "requests", "2.28.1", Some(2)),
                (Ecosystem::PyPI, "six", "1.16.0", Some(2)),
            ]
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "/app/node_modules/broken/package.json");
        assert_eq!(problems[0].line, Some(2));
    }
}
