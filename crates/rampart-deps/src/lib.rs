//! Packages: what a project's lockfiles and an image's package databases say is installed, each
//! a [`Package`] with its ecosystem (as OSV names it), name, version, purl, relation (direct or
//! transitive, when the file says) and where it was found. No I/O: lockfiles arrive as text,
//! file trees through [`rampart_core::Files`].
//!
//! - [`Lockfile`]: the lockfile and manifest readers, one per format, chosen by file name;
//!   [`Lockfiles`] makes them an input format of a scan.

mod format;
mod lockfile;
mod lockfiles;
mod package;
pub mod purl;

pub use format::Lockfiles;
pub use lockfile::{Lockfile, Problem, Reading};
pub use package::{ECOSYSTEMS, Ecosystem, Found, LayerRef, Package, Relation, Source};
