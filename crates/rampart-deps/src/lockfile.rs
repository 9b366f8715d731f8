//! Lockfiles and manifests: which file names each reader takes, and what reading one gives.

use std::sync::Arc;

use crate::Package;
use crate::lockfiles::{cargo, golang, npm, python, requirements};

/// A kind of lockfile or manifest rampart reads packages from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lockfile {
    /// pip's `requirements*.txt` (pinned `==` lines; pip-compile's `# via` says what is direct).
    Requirements,
    PoetryLock,
    PipfileLock,
    UvLock,
    PdmLock,
    /// npm's `package-lock.json` and `npm-shrinkwrap.json`, lockfile versions 1 to 3.
    PackageLock,
    CargoLock,
    GoMod,
    GoSum,
}

impl Lockfile {
    /// The kind of lockfile a file name is, if any.
    pub fn of_name(name: &str) -> Option<Lockfile> {
        Some(match name {
            "poetry.lock" => Lockfile::PoetryLock,
            "Pipfile.lock" => Lockfile::PipfileLock,
            "uv.lock" => Lockfile::UvLock,
            "pdm.lock" => Lockfile::PdmLock,
            "package-lock.json" | "npm-shrinkwrap.json" => Lockfile::PackageLock,
            "Cargo.lock" => Lockfile::CargoLock,
            "go.mod" => Lockfile::GoMod,
            "go.sum" => Lockfile::GoSum,
            _ if is_requirements_name(name) => Lockfile::Requirements,
            _ => return None,
        })
    }

    /// Reads the packages of a file of this kind, its text given; `path` is how the packages'
    /// [`Found`](crate::Found) and the problems name it.
    pub fn read(self, path: &str, text: &str) -> Reading {
        let path: Arc<str> = Arc::from(path);
        let mut reading = Reading::new(&path, text);
        match self {
            Lockfile::Requirements => requirements::read(&mut reading, text),
            Lockfile::PoetryLock => python::read_poetry(&mut reading, text),
            Lockfile::PipfileLock => python::read_pipfile(&mut reading, text),
            Lockfile::UvLock => python::read_uv(&mut reading, text),
            Lockfile::PdmLock => python::read_pdm(&mut reading, text),
            Lockfile::PackageLock => npm::read(&mut reading, text),
            Lockfile::CargoLock => cargo::read(&mut reading, text),
            Lockfile::GoMod => golang::read_mod(&mut reading, text),
            Lockfile::GoSum => golang::read_sum(&mut reading, text),
        }
        reading.packages.sort_by_key(|package| package.found.line);
        reading
    }
}

/// `requirements.txt`, `requirements-dev.txt`, `requirements.prod.txt`: pip reads
/// any name, so rampart takes those that say what they are.
fn is_requirements_name(name: &str) -> bool {
    name.starts_with("requirements") && name.ends_with(".txt")
}

/// What reading one file gave: its packages, in the order of the file, and its problems. A
/// problem in one entry leaves the others read.
#[derive(Debug)]
pub struct Reading {
    pub path: Arc<str>,
    pub packages: Vec<Package>,
    pub problems: Vec<Problem>,
    /// The files a `requirements.txt` includes (`-r other.txt`), as written, relative to its
    /// folder: the caller reads them too.
    pub includes: Vec<String>,
    text_lines: Vec<usize>,
}

/// A problem in a lockfile, at a line when one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<u32>,
    pub message: String,
}

impl Reading {
    fn new(path: &Arc<str>, text: &str) -> Reading {
        let text_lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Reading {
            path: Arc::clone(path),
            packages: Vec::new(),
            problems: Vec::new(),
            includes: Vec::new(),
            text_lines,
        }
    }

    /// The 1-based line holding the byte at `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> u32 {
        let index = self.text_lines.partition_point(|&start| start <= offset);
        u32::try_from(index).unwrap_or(u32::MAX)
    }

    pub(crate) fn problem(&mut self, line: Option<u32>, message: impl Into<String>) {
        self.problems.push(Problem {
            line,
            message: message.into(),
        });
    }

    /// Where a package named at `line` was found.
    pub(crate) fn found(&self, line: Option<u32>) -> crate::Found {
        crate::Found::at(&self.path, line)
    }
}
