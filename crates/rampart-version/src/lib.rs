//! Each package ecosystem's version order, exactly as the ecosystem defines it.
//!
//! A vulnerability range is only as exact as the order its bounds are compared in, and that is
//! where scanners disagree: `1.0.0-rc.1 < 1.0.0` in SemVer, `1.0~rc1 < 1.0` in dpkg,
//! `1.0-SNAPSHOT < 1.0` in Maven, `1.0.post1 > 1.0` in PEP 440. [`Order`] names one order
//! per ecosystem family; [`Order::parse`] turns a string into a [`Version`] of that order, or
//! an [`Invalid`] that says why the ecosystem rejects it: an invalid version is reported,
//! never ordered by guesswork.
//!
//! Versions of one order compare with `Ord`; equality is the order's (`1.0 == 1.0.0` in
//! PEP 440), not the text's.

mod apk;
mod dotted;
mod dpkg;
mod maven;
mod num;
mod packagist;
mod pep440;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;
use std::fmt;

/// A version order, shared by the ecosystems that use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Order {
    /// PEP 440 (PyPI).
    Pep440,
    /// Semantic Versioning 2.0 (npm, crates.io, Go, Hex, and OSV `SEMVER` ranges), with an
    /// optional leading `v` and missing minor or patch read as zero, as OSV reads them.
    SemVer,
    /// Dart's pub: SemVer whose build metadata also orders versions.
    Pub,
    /// NuGet: up to four numeric parts, case-insensitive labels.
    NuGet,
    /// Maven's `ComparableVersion`, as the POM reference specifies it.
    Maven,
    /// RubyGems' `Gem::Version`.
    RubyGems,
    /// Composer's normalisation followed by PHP's `version_compare` (Packagist).
    Packagist,
    /// R's `package_version` (CRAN, Bioconductor).
    Cran,
    /// Haskell's `Data.Version` as Cabal parses it (Hackage).
    Hackage,
    /// dpkg (Debian, Ubuntu): epochs, tildes, revisions.
    Dpkg,
    /// apk-tools (Alpine, Wolfi, Chainguard).
    Apk,
    /// rpm's `rpmvercmp` on epoch, version and release (Red Hat, Rocky, Alma, SUSE, openSUSE).
    Rpm,
}

impl Order {
    /// Every order, for tests and listings.
    pub const ALL: [Order; 12] = [
        Order::Pep440,
        Order::SemVer,
        Order::Pub,
        Order::NuGet,
        Order::Maven,
        Order::RubyGems,
        Order::Packagist,
        Order::Cran,
        Order::Hackage,
        Order::Dpkg,
        Order::Apk,
        Order::Rpm,
    ];

    /// The order of an OSV ecosystem (`PyPI`, `npm`, `Debian:12`, `Alpine:v3.20`, ...): the
    /// part before the first `:` names the ecosystem. `None` for an ecosystem without one.
    pub fn of_ecosystem(ecosystem: &str) -> Option<Order> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "PyPI" => Order::Pep440,
            "npm" | "crates.io" | "Go" | "Hex" | "Bitnami" | "SwiftURL" | "GHC" | "Julia"
            | "ConanCenter" => Order::SemVer,
            "Pub" => Order::Pub,
            "NuGet" => Order::NuGet,
            "Maven" => Order::Maven,
            "RubyGems" => Order::RubyGems,
            "Packagist" => Order::Packagist,
            "CRAN" | "Bioconductor" => Order::Cran,
            "Hackage" => Order::Hackage,
            "Debian" | "Ubuntu" => Order::Dpkg,
            "Alpine" | "Wolfi" | "Chainguard" | "Alpaquita" | "MinimOS" => Order::Apk,
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "openEuler"
            | "Mageia" => Order::Rpm,
            _ => return None,
        })
    }

    /// A short name for messages: `PEP 440`, `SemVer`, `dpkg`, ...
    pub fn name(self) -> &'static str {
        match self {
            Order::Pep440 => "PEP 440",
            Order::SemVer => "SemVer",
            Order::Pub => "pub",
            Order::NuGet => "NuGet",
            Order::Maven => "Maven",
            Order::RubyGems => "RubyGems",
            Order::Packagist => "Composer",
            Order::Cran => "R package_version",
            Order::Hackage => "Cabal",
            Order::Dpkg => "dpkg",
            Order::Apk => "apk",
            Order::Rpm => "rpm",
        }
    }

    /// Parses `text` as a version of this order.
    pub fn parse(self, text: &str) -> Result<Version, Invalid> {
        let invalid = |reason: &'static str| Invalid {
            order: self,
            version: text.to_owned(),
            reason,
        };
        let key = match self {
            Order::Pep440 => Key::Pep440(pep440::Pep440::parse(text).map_err(invalid)?),
            Order::SemVer => {
                Key::SemVer(semver::SemVer::parse(text, semver::SEMVER).map_err(invalid)?)
            }
            Order::Pub => Key::Pub(semver::SemVer::parse(text, semver::PUB).map_err(invalid)?),
            Order::NuGet => {
                Key::NuGet(semver::SemVer::parse(text, semver::NUGET).map_err(invalid)?)
            }
            Order::Maven => Key::Maven(maven::Maven::parse(text).map_err(invalid)?),
            Order::RubyGems => Key::RubyGems(rubygems::Gem::parse(text).map_err(invalid)?),
            Order::Packagist => Key::Packagist(packagist::Composer::parse(text).map_err(invalid)?),
            Order::Cran => Key::Dotted(dotted::Dotted::cran(text).map_err(invalid)?),
            Order::Hackage => Key::Dotted(dotted::Dotted::hackage(text).map_err(invalid)?),
            Order::Dpkg => Key::Dpkg(dpkg::Dpkg::parse(text).map_err(invalid)?),
            Order::Apk => Key::Apk(apk::Apk::parse(text).map_err(invalid)?),
            Order::Rpm => Key::Rpm(rpm::Rpm::parse(text).map_err(invalid)?),
        };
        Ok(Version {
            order: self,
            text: text.into(),
            key,
        })
    }

    /// Compares two version strings of this order.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, Invalid> {
        Ok(self.parse(a)?.cmp(&self.parse(b)?))
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that is not a version of an order, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub order: Order,
    pub version: String,
    pub reason: &'static str,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid {} version: {}",
            self.version, self.order, self.reason
        )
    }
}

impl std::error::Error for Invalid {}

/// A parsed version: its text and the key its order compares.
#[derive(Clone, Debug)]
pub struct Version {
    order: Order,
    text: Box<str>,
    key: Key,
}

#[derive(Clone, Debug)]
enum Key {
    Pep440(pep440::Pep440),
    SemVer(semver::SemVer),
    Pub(semver::SemVer),
    NuGet(semver::SemVer),
    Maven(maven::Maven),
    RubyGems(rubygems::Gem),
    Packagist(packagist::Composer),
    Dotted(dotted::Dotted),
    Dpkg(dpkg::Dpkg),
    Apk(apk::Apk),
    Rpm(rpm::Rpm),
}

impl Version {
    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn order(&self) -> Order {
        self.order
    }

    /// Whether this is a pre-release in an order that has them (a SemVer or NuGet label, a
    /// PEP 440 `a`/`b`/`rc`/`dev`). Upgrade advice prefers final releases.
    pub fn is_prerelease(&self) -> bool {
        match &self.key {
            Key::Pep440(v) => v.is_prerelease(),
            Key::SemVer(v) | Key::Pub(v) | Key::NuGet(v) => v.is_prerelease(),
            _ => false,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Ord for Version {
    /// The order's comparison; versions of different orders (never compared in practice)
    /// sort by their order, so that the relation stays total.
    fn cmp(&self, other: &Version) -> Ordering {
        match (&self.key, &other.key) {
            (Key::Pep440(a), Key::Pep440(b)) => a.cmp(b),
            (Key::SemVer(a), Key::SemVer(b)) => a.cmp_semver(b),
            (Key::Pub(a), Key::Pub(b)) => a.cmp_pub(b),
            (Key::NuGet(a), Key::NuGet(b)) => a.cmp_semver(b),
            (Key::Maven(a), Key::Maven(b)) => a.cmp(b),
            (Key::RubyGems(a), Key::RubyGems(b)) => a.cmp(b),
            (Key::Packagist(a), Key::Packagist(b)) => a.cmp(b),
            (Key::Dotted(a), Key::Dotted(b)) => a.cmp(b),
            (Key::Dpkg(a), Key::Dpkg(b)) => a.cmp(b),
            (Key::Apk(a), Key::Apk(b)) => a.cmp(b),
            (Key::Rpm(a), Key::Rpm(b)) => a.cmp(b),
            _ => self.order.cmp(&other.order),
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Version {}
