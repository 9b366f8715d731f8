//! Packages: what a project's lockfiles and an image's package databases say is installed, each
//! a [`Package`] with its ecosystem (as OSV names it), name, version, purl, relation (direct or
//! transitive, when the file says) and where it was found. No I/O: lockfiles arrive as text,
//! file trees through [`rampart_core::Files`].
//!
//! - [`Lockfile`]: the lockfile and manifest readers, one per format, chosen by file name;
//!   [`Lockfiles`] makes them an input format of a scan.
//! - [`installed`]: what a root file system holds: its distribution ([`Distro`], from
//!   `os-release`) and the packages of its databases (dpkg, apk); [`image_packages`] the
//!   same for an image, with the layer that added each package.
//! - [`sbom`]: an [`Sbom`](sbom::Sbom) of packages, written as CycloneDX 1.6 or SPDX 2.3.

mod format;
mod image;
mod lockfile;
mod lockfiles;
mod package;
pub mod purl;
pub mod sbom;
mod system;

pub use format::Lockfiles;
pub use image::{BaseImage, base_image, image_packages};
pub use lockfile::{Lockfile, Problem, Reading};
pub use package::{ECOSYSTEMS, Ecosystem, Found, LayerRef, Package, Relation, Source};
pub use system::{
    Database, Distro, Installed, OsPackages, installed, read_database, reads_content,
};
