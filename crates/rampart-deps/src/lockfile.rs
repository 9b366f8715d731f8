//! Lockfiles and manifests: which file names each reader takes, and what reading one gives.

use std::sync::Arc;

use crate::Package;
use crate::lockfiles::{
    bun, cabal, cargo, composer, dart, dotnet, elixir, golang, gradle, maven, npm, pnpm, python,
    renv, requirements, ruby, yarn,
};

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
    /// Yarn's `yarn.lock`, classic (v1) and berry (v2+).
    YarnLock,
    /// `pnpm-lock.yaml`, lockfile versions 5 to 9.
    PnpmLock,
    /// Bun's text lockfile, `bun.lock`.
    BunLock,
    CargoLock,
    GoMod,
    GoSum,
    /// Bundler's `Gemfile.lock` (`gems.locked`).
    GemfileLock,
    ComposerLock,
    /// Maven's `pom.xml`: the versions it declares, properties resolved.
    Pom,
    /// `gradle.lockfile`, or one `<configuration>.lockfile` each with older Gradle.
    GradleLockfile,
    /// NuGet's `packages.lock.json`.
    NugetLock,
    MixLock,
    PubspecLock,
    RenvLock,
    CabalFreeze,
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
            "yarn.lock" => Lockfile::YarnLock,
            "pnpm-lock.yaml" => Lockfile::PnpmLock,
            "bun.lock" => Lockfile::BunLock,
            "Cargo.lock" => Lockfile::CargoLock,
            "go.mod" => Lockfile::GoMod,
            "go.sum" => Lockfile::GoSum,
            "Gemfile.lock" | "gems.locked" => Lockfile::GemfileLock,
            "composer.lock" => Lockfile::ComposerLock,
            "pom.xml" => Lockfile::Pom,
            "gradle.lockfile" => Lockfile::GradleLockfile,
            "packages.lock.json" => Lockfile::NugetLock,
            "mix.lock" => Lockfile::MixLock,
            "pubspec.lock" => Lockfile::PubspecLock,
            "renv.lock" => Lockfile::RenvLock,
            "cabal.project.freeze" => Lockfile::CabalFreeze,
            _ if is_requirements_name(name) => Lockfile::Requirements,
            _ if is_gradle_configuration_lockfile(name) => Lockfile::GradleLockfile,
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
            Lockfile::YarnLock => yarn::read(&mut reading, text),
            Lockfile::PnpmLock => pnpm::read(&mut reading, text),
            Lockfile::BunLock => bun::read(&mut reading, text),
            Lockfile::CargoLock => cargo::read(&mut reading, text),
            Lockfile::GoMod => golang::read_mod(&mut reading, text),
            Lockfile::GoSum => golang::read_sum(&mut reading, text),
            Lockfile::GemfileLock => ruby::read(&mut reading, text),
            Lockfile::ComposerLock => composer::read(&mut reading, text),
            Lockfile::Pom => maven::read(&mut reading, text),
            Lockfile::GradleLockfile => gradle::read(&mut reading, text),
            Lockfile::NugetLock => dotnet::read(&mut reading, text),
            Lockfile::MixLock => elixir::read(&mut reading, text),
            Lockfile::PubspecLock => dart::read(&mut reading, text),
            Lockfile::RenvLock => renv::read(&mut reading, text),
            Lockfile::CabalFreeze => cabal::read(&mut reading, text),
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

/// Gradle before 7 wrote one lockfile per configuration under `gradle/dependency-locks/`:
/// `compileClasspath.lockfile`, `testRuntimeClasspath.lockfile`, ...
fn is_gradle_configuration_lockfile(name: &str) -> bool {
    name.strip_suffix(".lockfile")
        .is_some_and(|stem| stem.ends_with("Classpath") || stem == "buildscript-classpath")
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
