//! What a root file system says is installed: the distribution (`os-release`) and its package
//! databases (dpkg, apk, rpm's SQLite and Berkeley DB databases). Files are read through [`Files`], so a host folder, a mounted
//! node and an image's merged layers read alike.

mod apk;
mod binaries;
mod dpkg;
mod languages;
mod os_release;
mod rpm;

use std::sync::Arc;

use rampart_core::{Diagnostic, FileKind, Files, resolve};

pub use os_release::Distro;

use crate::lockfile::Problem;
use crate::{Ecosystem, Found, Package, Source, purl};

/// The largest package database read.
pub(crate) const MAX_DATABASE_BYTES: u64 = 512 * 1024 * 1024;

/// A package database of a root file system: where it is and how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Database {
    /// `/var/lib/dpkg/status`, or a file of distroless `/var/lib/dpkg/status.d/`.
    Dpkg,
    /// `/lib/apk/db/installed`.
    Apk,
    /// rpm's `rpmdb.sqlite`.
    RpmSqlite,
    /// rpm's Berkeley DB `Packages`.
    RpmBerkeley,
}

/// Where each database lives; `status.d` is a folder of them.
const DATABASES: [(&str, Database); 6] = [
    ("/var/lib/dpkg/status", Database::Dpkg),
    ("/lib/apk/db/installed", Database::Apk),
    ("/usr/lib/apk/db/installed", Database::Apk),
    ("/var/lib/rpm/rpmdb.sqlite", Database::RpmSqlite),
    // Fedora 36 and later, openSUSE.
    ("/usr/lib/sysimage/rpm/rpmdb.sqlite", Database::RpmSqlite),
    ("/var/lib/rpm/Packages", Database::RpmBerkeley),
];

const DPKG_STATUS_D: &str = "/var/lib/dpkg/status.d";

/// What a root file system holds: its distribution and installed packages, and the problems
/// met reading them (with the path inside the tree).
#[derive(Debug, Default)]
pub struct Installed {
    pub distro: Option<Distro>,
    pub packages: Vec<Package>,
    pub problems: Vec<Diagnostic>,
    /// The databases read: path as the packages name it, path with links followed, kind.
    pub databases: Vec<(String, String, Database)>,
}

/// The distribution, the packages its databases list, and the language packages installed
/// anywhere in the tree (Python distributions, Node packages).
pub fn installed(files: &(impl Files + ?Sized)) -> Installed {
    let mut installed = Installed {
        distro: distro(files),
        ..Installed::default()
    };
    let mut databases: Vec<(String, Database)> = DATABASES
        .iter()
        .map(|(path, kind)| ((*path).to_owned(), *kind))
        .collect();
    let mut status_d = files.list(DPKG_STATUS_D).unwrap_or_default();
    status_d.sort();
    databases.extend(
        status_d
            .into_iter()
            .filter(|name| !name.ends_with(".md5sums"))
            .map(|name| (format!("{DPKG_STATUS_D}/{name}"), Database::Dpkg)),
    );
    for (path, kind) in databases {
        let real = resolve(files, &path);
        if !files
            .metadata(&real)
            .is_ok_and(|info| info.kind == FileKind::File)
        {
            continue;
        }
        match files.read(&real, MAX_DATABASE_BYTES) {
            Ok(bytes) => {
                installed.databases.push((path.clone(), real.clone(), kind));
                let read = read_database(kind, &path, &bytes, installed.distro.as_ref());
                installed.packages.extend(read.packages);
                installed.problems.extend(
                    read.problems.into_iter().map(|problem| {
                        Diagnostic::error(path.clone(), problem.line, problem.message)
                    }),
                );
            }
            Err(error) => installed.problems.push(Diagnostic::error(
                path,
                None,
                format!("cannot read the package database: {error}"),
            )),
        }
    }
    let (packages, problems) = languages::packages(files);
    installed.packages.extend(packages);
    installed.problems.extend(problems);
    installed
}

/// Whether a file of an image is one [`installed`] reads: the image reader keeps the content
/// of these.
pub fn reads_content(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    DATABASES
        .iter()
        .any(|(database, _)| database.trim_start_matches('/') == path)
        || path
            .strip_prefix(DPKG_STATUS_D.trim_start_matches('/'))
            .is_some_and(|name| name.starts_with('/'))
        || matches!(path, "etc/os-release" | "usr/lib/os-release")
        || languages::reads_content(path)
}

/// The distribution `os-release` names, if the tree has one.
fn distro(files: &(impl Files + ?Sized)) -> Option<Distro> {
    ["/etc/os-release", "/usr/lib/os-release"]
        .iter()
        .find_map(|path| files.read(&resolve(files, path), 64 * 1024).ok())
        .map(|bytes| Distro::parse(&String::from_utf8_lossy(&bytes)))
}

/// The packages one copy of a database lists: what [`installed`] reads, and what an image's
/// layers are read with one by one to tell which layer added a package.
pub fn read_database(
    kind: Database,
    path: &str,
    bytes: &[u8],
    distro: Option<&Distro>,
) -> OsPackages {
    match kind {
        Database::Dpkg => {
            let mut packages = OsPackages::new(path, "deb", distro, Ecosystem::Debian);
            dpkg::read(&String::from_utf8_lossy(bytes), &mut packages);
            packages
        }
        Database::Apk => {
            let mut packages = OsPackages::new(path, "apk", distro, Ecosystem::Alpine);
            apk::read(&String::from_utf8_lossy(bytes), &mut packages);
            packages
        }
        Database::RpmSqlite => {
            let mut packages = OsPackages::new(path, "rpm", distro, Ecosystem::Rpm);
            rpm::read_sqlite(bytes, &mut packages);
            packages
        }
        Database::RpmBerkeley => {
            let mut packages = OsPackages::new(path, "rpm", distro, Ecosystem::Rpm);
            rpm::read_berkeley(bytes, &mut packages);
            packages
        }
    }
}

/// Packages of one distribution database, as they are read: each with the ecosystem, release
/// and purl its distribution gives it.
#[derive(Debug)]
pub struct OsPackages {
    path: Arc<str>,
    purl_type: &'static str,
    /// The purl namespace: the distribution's id (`debian`, `alpine`).
    namespace: String,
    /// The purl `distro` qualifier (`debian-12`).
    distro_qualifier: String,
    ecosystem: Ecosystem,
    release: Option<String>,
    pub packages: Vec<Package>,
    pub problems: Vec<Problem>,
}

impl OsPackages {
    /// A database at `path` of packages of type `purl_type`; without an `os-release` that OSV
    /// knows, the ecosystem is `fallback`'s, without a release.
    pub(crate) fn new(
        path: &str,
        purl_type: &'static str,
        distro: Option<&Distro>,
        fallback: Ecosystem,
    ) -> OsPackages {
        let (ecosystem, release) = distro
            .and_then(Distro::ecosystem)
            .filter(|(ecosystem, _)| purl::purl_type(*ecosystem) == purl_type)
            .unwrap_or((fallback, None));
        let namespace = distro
            .map(|d| d.id.clone())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| fallback.as_str().to_ascii_lowercase());
        OsPackages {
            path: Arc::from(path),
            purl_type,
            namespace,
            distro_qualifier: distro.map(Distro::purl_qualifier).unwrap_or_default(),
            ecosystem,
            release,
            packages: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Adds a package; `source` is its source package's name and version.
    pub(crate) fn push(
        &mut self,
        name: &str,
        version: &str,
        arch: &str,
        source: Option<(String, String)>,
        line: Option<u32>,
    ) {
        let purl = self.purl(name, version, arch, source.as_ref(), "");
        self.add(name, version, purl, source, line);
    }

    /// Adds an rpm package: its version `[epoch:]version-release`, the purl's version without
    /// the epoch, which goes to the `epoch` qualifier.
    pub(crate) fn push_rpm(
        &mut self,
        name: &str,
        version: &str,
        arch: &str,
        source: Option<(String, String)>,
        epoch: &str,
    ) {
        let without_epoch = version.split_once(':').map_or(version, |(_, rest)| rest);
        let purl = self.purl(name, without_epoch, arch, source.as_ref(), epoch);
        self.add(name, version, purl, source, None);
    }

    fn purl(
        &self,
        name: &str,
        version: &str,
        arch: &str,
        source: Option<&(String, String)>,
        epoch: &str,
    ) -> String {
        // As Syft writes it: the source's name when it differs, with its version when that
        // differs too (a binary-only rebuild such as `5.2.15-2+b13` of `5.2.15-2`).
        let upstream = match source {
            Some((source, built)) if built != version => format!("{source}@{built}"),
            Some((source, _)) if source != name => source.clone(),
            _ => String::new(),
        };
        purl::build(
            self.purl_type,
            Some(&self.namespace),
            name,
            version,
            &[
                ("arch", arch),
                ("distro", &self.distro_qualifier),
                ("epoch", epoch),
                ("upstream", &upstream),
            ],
        )
    }

    fn add(
        &mut self,
        name: &str,
        version: &str,
        purl: String,
        source: Option<(String, String)>,
        line: Option<u32>,
    ) {
        self.packages.push(Package {
            ecosystem: self.ecosystem,
            release: self.release.clone(),
            name: name.to_owned(),
            version: version.to_owned(),
            purl,
            relation: None,
            dev: false,
            source: source.map(|(name, version)| Source { name, version }),
            found: Found::at(&self.path, line),
        });
    }
}
