//! What rampart knows of one package: which ecosystem it belongs to (named as OSV names it),
//! its name and version, its purl, whether the project asked for it, and where it was found.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::purl;

/// A package ecosystem as OSV names it. Distributions carry their release in
/// [`Package::release`], so that `Debian` with release `12` is OSV's `Debian:12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Ecosystem {
    #[serde(rename = "PyPI")]
    PyPI,
    #[serde(rename = "npm")]
    Npm,
    Go,
    #[serde(rename = "crates.io")]
    CratesIo,
    Maven,
    RubyGems,
    NuGet,
    Packagist,
    Pub,
    Hex,
    #[serde(rename = "CRAN")]
    Cran,
    Hackage,
    Debian,
    Ubuntu,
    Alpine,
    Wolfi,
    Chainguard,
    #[serde(rename = "Red Hat")]
    RedHat,
    #[serde(rename = "Rocky Linux")]
    RockyLinux,
    AlmaLinux,
    #[serde(rename = "SUSE")]
    Suse,
    #[serde(rename = "openSUSE")]
    OpenSuse,
    /// An rpm-based distribution OSV has no ecosystem for (Fedora, Amazon Linux, ...): its
    /// packages are listed, never matched.
    #[serde(rename = "RPM")]
    Rpm,
}

/// Every ecosystem, for tables and tests.
pub const ECOSYSTEMS: [Ecosystem; 23] = [
    Ecosystem::PyPI,
    Ecosystem::Npm,
    Ecosystem::Go,
    Ecosystem::CratesIo,
    Ecosystem::Maven,
    Ecosystem::RubyGems,
    Ecosystem::NuGet,
    Ecosystem::Packagist,
    Ecosystem::Pub,
    Ecosystem::Hex,
    Ecosystem::Cran,
    Ecosystem::Hackage,
    Ecosystem::Debian,
    Ecosystem::Ubuntu,
    Ecosystem::Alpine,
    Ecosystem::Wolfi,
    Ecosystem::Chainguard,
    Ecosystem::RedHat,
    Ecosystem::RockyLinux,
    Ecosystem::AlmaLinux,
    Ecosystem::Suse,
    Ecosystem::OpenSuse,
    Ecosystem::Rpm,
];

impl Ecosystem {
    /// The name OSV gives the ecosystem, without a release (`PyPI`, `crates.io`, `Debian`).
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Npm => "npm",
            Ecosystem::Go => "Go",
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::Cran => "CRAN",
            Ecosystem::Hackage => "Hackage",
            Ecosystem::Debian => "Debian",
            Ecosystem::Ubuntu => "Ubuntu",
            Ecosystem::Alpine => "Alpine",
            Ecosystem::Wolfi => "Wolfi",
            Ecosystem::Chainguard => "Chainguard",
            Ecosystem::RedHat => "Red Hat",
            Ecosystem::RockyLinux => "Rocky Linux",
            Ecosystem::AlmaLinux => "AlmaLinux",
            Ecosystem::Suse => "SUSE",
            Ecosystem::OpenSuse => "openSUSE",
            Ecosystem::Rpm => "RPM",
        }
    }

    /// Splits an OSV ecosystem name into the ecosystem and its release: `Debian:12` is
    /// `(Debian, Some("12"))`, `PyPI` is `(PyPI, None)`. `None` for an ecosystem rampart does
    /// not know.
    pub fn parse_osv(name: &str) -> Option<(Ecosystem, Option<&str>)> {
        let (base, release) = match name.split_once(':') {
            Some((base, release)) => (base, Some(release)),
            None => (name, None),
        };
        let ecosystem = ECOSYSTEMS.into_iter().find(|e| e.as_str() == base)?;
        Some((ecosystem, release))
    }

    /// Whether the ecosystem is a distribution's, whose packages have a source package and
    /// whose advisories are keyed by release.
    pub fn is_distribution(self) -> bool {
        matches!(
            self,
            Ecosystem::Debian
                | Ecosystem::Ubuntu
                | Ecosystem::Alpine
                | Ecosystem::Wolfi
                | Ecosystem::Chainguard
                | Ecosystem::RedHat
                | Ecosystem::RockyLinux
                | Ecosystem::AlmaLinux
                | Ecosystem::Suse
                | Ecosystem::OpenSuse
                | Ecosystem::Rpm
        )
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the project asked for a package itself or got it through another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Direct,
    Transitive,
}

/// Where a package was found: a lockfile and the line naming it, or a package database in an
/// image and the layer that added it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Found {
    /// The file as reports name it: a path of the scan, or a path inside an image
    /// (`/var/lib/dpkg/status`).
    pub path: Arc<str>,
    /// The 1-based line where the file names the package (or its entry starts), when the
    /// file has lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// For a file of an image, the layer that added the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerRef>,
}

/// One layer of an image, as a package's origin.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LayerRef {
    /// Base layer 0.
    pub index: usize,
    /// The layer's DiffID (`sha256:…` of its uncompressed tar, as the image configuration
    /// lists it and `docker history` shows it), else its blob's digest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// The source package a distribution built a binary package from: what Debian and Alpine key
/// their advisories by (`openssl` for `libssl3`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Source {
    pub name: String,
    pub version: String,
}

/// One package a project or an image holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// The distribution release as OSV writes it after the colon (`12`, `v3.20`), for
    /// distribution packages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// The name as the ecosystem's registry and OSV write it: `requests`, `@babel/core`,
    /// `github.com/gorilla/mux`, `org.apache.logging.log4j:log4j-core`, `libssl3`.
    pub name: String,
    /// The version exactly as the file gives it.
    pub version: String,
    /// The package URL (`pkg:pypi/requests@2.31.0`).
    pub purl: String,
    /// Direct or transitive, when the file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// Only needed to develop or test the project (npm `dev`, Poetry's dev group, ...).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dev: bool,
    /// For distribution packages, the source package it was built from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    pub found: Found,
}

impl Package {
    /// A package of a language ecosystem, its purl made from its name and version.
    pub fn new(ecosystem: Ecosystem, name: &str, version: &str, found: Found) -> Package {
        Package {
            ecosystem,
            release: None,
            name: name.to_owned(),
            version: version.to_owned(),
            purl: purl::of(ecosystem, name, version),
            relation: None,
            dev: false,
            source: None,
            found,
        }
    }

    /// The ecosystem as OSV names it, with the release of a distribution: `Debian:12`.
    pub fn osv_ecosystem(&self) -> String {
        match &self.release {
            Some(release) => format!("{}:{release}", self.ecosystem),
            None => self.ecosystem.to_string(),
        }
    }

    pub fn with_relation(mut self, relation: Option<Relation>) -> Package {
        self.relation = relation;
        self
    }

    pub fn with_dev(mut self, dev: bool) -> Package {
        self.dev = dev;
        self
    }
}

impl Found {
    /// A line of a file.
    pub fn at(path: &Arc<str>, line: Option<u32>) -> Found {
        Found {
            path: Arc::clone(path),
            line,
            layer: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_names_round_trip() {
        for ecosystem in ECOSYSTEMS {
            assert_eq!(
                Ecosystem::parse_osv(ecosystem.as_str()),
                Some((ecosystem, None))
            );
        }
        assert_eq!(
            Ecosystem::parse_osv("Alpine:v3.20"),
            Some((Ecosystem::Alpine, Some("v3.20")))
        );
        assert_eq!(
            Ecosystem::parse_osv("Red Hat:enterprise_linux:9::appstream"),
            Some((Ecosystem::RedHat, Some("enterprise_linux:9::appstream")))
        );
        assert_eq!(Ecosystem::parse_osv("Bitnami"), None);
        let mut package = Package::new(
            Ecosystem::Debian,
            "libssl3",
            "3.0.15-1~deb12u1",
            Found::at(&Arc::from("/var/lib/dpkg/status"), Some(10)),
        );
        package.release = Some("12".into());
        assert_eq!(package.osv_ecosystem(), "Debian:12");
    }
}
