//! Software bills of materials: what a folder or an image holds, as one [`Sbom`], written as
//! CycloneDX 1.6 or SPDX 2.3 JSON. A package found in several places is one component with
//! every place it was found. The output is deterministic: components sorted by purl, ids
//! derived from content; only SPDX's required creation time says when it was made.

mod cyclonedx;
mod spdx;

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Distro, Found, Package, Relation};

pub use cyclonedx::CycloneDx;
pub use spdx::{Spdx, utc_timestamp};

/// What an SBOM describes and what it holds.
#[derive(Debug, Clone)]
pub struct Sbom {
    /// The folder or image as the user named it.
    pub name: String,
    pub kind: Described,
    /// The distribution of a root file system or image, when it has one.
    pub distro: Option<Distro>,
    pub packages: Vec<Package>,
}

/// What kind of thing an SBOM describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Described {
    /// A folder: a project's source tree or a root file system.
    Folder,
    /// A container image, with its manifest digest when known.
    Image { digest: Option<String> },
}

/// One package of an SBOM: the first of the packages with its purl, and every place any of
/// them was found.
pub(crate) struct Component<'a> {
    pub package: &'a Package,
    pub found: Vec<&'a Found>,
    /// Direct if any place says so.
    pub relation: Option<Relation>,
    /// Dev only if every place says so.
    pub dev: bool,
}

impl Sbom {
    /// The packages merged by purl, sorted by purl.
    pub(crate) fn components(&self) -> Vec<Component<'_>> {
        let mut by_purl: BTreeMap<&str, Component<'_>> = BTreeMap::new();
        for package in &self.packages {
            let component = by_purl.entry(&package.purl).or_insert(Component {
                package,
                found: Vec::new(),
                relation: None,
                dev: true,
            });
            component.found.push(&package.found);
            component.relation = match (component.relation, package.relation) {
                (Some(Relation::Direct), _) | (_, Some(Relation::Direct)) => Some(Relation::Direct),
                (Some(Relation::Transitive), _) | (_, Some(Relation::Transitive)) => {
                    Some(Relation::Transitive)
                }
                _ => None,
            };
            component.dev &= package.dev;
        }
        let mut components: Vec<Component<'_>> = by_purl.into_values().collect();
        for component in &mut components {
            component.found.sort();
            component.found.dedup();
        }
        components
    }

    /// A digest of everything the SBOM says, from which its ids are made.
    pub(crate) fn digest(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(self.name.as_bytes());
        for component in self.components() {
            hasher.update([0]);
            hasher.update(component.package.purl.as_bytes());
        }
        hasher.finalize().into()
    }
}

/// A short stable id of a text, for SPDX element ids and CycloneDX references.
pub(crate) fn short_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
