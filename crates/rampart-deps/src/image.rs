//! The packages of a container image, each with the layer that added it: a package of a
//! database (dpkg, apk) was added by the first layer whose copy of the database lists it at
//! that version; a package known by a file of its own, by the layer that file is from.

use std::collections::{BTreeMap, BTreeSet};

use rampart_image::{EntryKind, FileSystem, Image};

use crate::LayerRef;
use crate::system::{Installed, installed, read_database};

/// The (name, version)s one copy of a database lists.
type Listed = BTreeSet<(String, String)>;

/// The distribution and packages of an image's merged layers, each package with its layer.
pub fn image_packages(image: &Image) -> Installed {
    let files = FileSystem::of(&image.layers);
    let mut found = installed(&files);
    let diff_ids = image
        .config
        .rootfs
        .as_ref()
        .map(|r| r.diff_ids.as_slice())
        .unwrap_or_default();
    let layer_ref = |index: usize| LayerRef {
        index,
        digest: diff_ids
            .get(index)
            .cloned()
            .or_else(|| image.layers[index].digest.as_ref().map(ToString::to_string)),
    };
    // Database path → for each layer holding a copy, the (name, version)s it lists.
    let mut copies: BTreeMap<&str, Vec<(usize, Listed)>> = BTreeMap::new();
    for (shown, real, kind) in &found.databases {
        let relative = real.trim_start_matches('/');
        let layered = image
            .layers
            .iter()
            .enumerate()
            .filter_map(|(index, layer)| {
                let entry = layer
                    .entries
                    .iter()
                    .rev()
                    .find(|e| e.path == relative && e.kind == EntryKind::File)?;
                let read = read_database(
                    *kind,
                    shown,
                    entry.content.as_deref()?,
                    found.distro.as_ref(),
                );
                let listed = read
                    .packages
                    .into_iter()
                    .map(|p| (p.name, p.version))
                    .collect();
                Some((index, listed))
            })
            .collect();
        copies.insert(shown, layered);
    }
    for package in &mut found.packages {
        let key = (package.name.clone(), package.version.clone());
        let layer = match copies.get(&*package.found.path) {
            Some(layered) => layered
                .iter()
                .find(|(_, listed)| listed.contains(&key))
                .map(|(index, _)| *index),
            None => files
                .get(rampart_core::resolve(&files, &package.found.path).trim_start_matches('/'))
                .map(|id| id.layer),
        };
        package.found.layer = layer.map(layer_ref);
    }
    found
}
