//! `rampart sbom`: the packages of a folder (its lockfiles and, for a root file system, its
//! package databases) or of an image (its package databases, each package with the layer that
//! added it), as one [`Sbom`] the binary writes as CycloneDX or SPDX.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, bail};
use rampart_core::{Diagnostic, Files};
use rampart_deps::sbom::{Described, Sbom};
use rampart_deps::{Installed, Package, image_packages, installed, reads_content};
use rampart_rules::RuleOptions;
use rampart_source::{HostFiles, Limits, Target};

use crate::image::{ImageAnalysis, ImageOptions};
use crate::scanner::read;

/// The largest package database (or other file read for packages) kept from an image.
const MAX_PACKAGE_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// An SBOM and the problems met building it: lockfiles or databases that could not be read
/// (reported, the rest kept).
#[derive(Debug)]
pub struct SbomReading {
    pub sbom: Sbom,
    pub errors: Vec<Diagnostic>,
}

/// The SBOM of `target`: a folder (not an image layout) is read as a root file system when it
/// has an `os-release`, else as a project (its lockfiles); anything else is an
/// image: an OCI layout, a `docker save` archive or a registry reference.
pub fn sbom(target: &str, limits: &Limits, images: &ImageOptions) -> Result<SbomReading> {
    let path = Path::new(target);
    if path.is_dir() && !path.join("index.json").is_file() {
        return folder(target, path, limits);
    }
    image(target, images)
}

fn folder(target: &str, path: &Path, limits: &Limits) -> Result<SbomReading> {
    let root = HostFiles::new(path);
    if is_root_file_system(&root) {
        // Its absolute links lead into the tree, not the scanning machine: read through
        // `Files` only, which also finds the applications' lockfiles.
        let system = installed(&root);
        return Ok(SbomReading {
            sbom: Sbom {
                name: target.to_owned(),
                kind: Described::Folder,
                distro: system.distro,
                packages: system.packages,
            },
            errors: system.problems,
        });
    }
    let inventory = read(&[Target::Path(path.to_owned())], limits)?;
    // Where each package was found, relative to the folder the SBOM describes.
    let prefix = format!("{}/", target.trim_end_matches('/'));
    let mut packages: Vec<Package> = inventory.all::<Package>().to_vec();
    for package in &mut packages {
        if let Some(inside) = package.found.path.strip_prefix(&prefix) {
            package.found.path = Arc::from(inside);
        }
    }
    let errors = inventory.errors.clone();
    Ok(SbomReading {
        sbom: Sbom {
            name: target.to_owned(),
            kind: Described::Folder,
            distro: None,
            packages,
        },
        errors,
    })
}

/// Whether a folder is a root file system (it has a distribution's `os-release`): then what is
/// installed in it is read too, not only its lockfiles.
fn is_root_file_system(root: &HostFiles) -> bool {
    ["/etc/os-release", "/usr/lib/os-release"]
        .iter()
        .any(|path| root.metadata(path).is_ok())
}

fn image(target: &str, images: &ImageOptions) -> Result<SbomReading> {
    let mut options = images.clone();
    options.limits.max_captured_bytes = MAX_PACKAGE_FILE_BYTES;
    let rule_options = RuleOptions::default();
    let analysis =
        ImageAnalysis::new(&options, &[], &rule_options).capturing(Box::new(reads_content));
    let set = analysis.read(target)?;
    let [image] = set.images.as_slice() else {
        let names: Vec<String> = set
            .images
            .iter()
            .enumerate()
            .map(|(index, image)| {
                image
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("#{}", index + 1))
            })
            .collect();
        bail!(
            "{target} holds {} images ({}); an SBOM describes one",
            names.len(),
            names.join(", ")
        );
    };
    let Installed {
        distro,
        packages,
        problems,
        ..
    } = image_packages(image);
    Ok(SbomReading {
        sbom: Sbom {
            name: image.name.clone().unwrap_or_else(|| target.to_owned()),
            kind: Described::Image {
                digest: image.manifest_digest.as_ref().map(ToString::to_string),
            },
            distro,
            packages,
        },
        errors: problems,
    })
}
