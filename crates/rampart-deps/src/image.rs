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

/// The part of an image that came from the image it was built `FROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseImage {
    /// The base image's name, when the image records it (the OCI
    /// `org.opencontainers.image.base.name` key, as a label).
    pub name: Option<String>,
    /// How many layers, from the bottom, are the base image's.
    pub layers: usize,
}

/// Which of `image`'s layers are its base image's, from its build history: a base image
/// ends its own build with a `CMD` or `ENTRYPOINT` (which makes no layer), and the layers made
/// after the last such step that is followed by more layers are the image's own. `None` when
/// the history shows no such step (an image built in one go, or without history).
pub fn base_image(image: &Image) -> Option<BaseImage> {
    let history = image.config.history.as_deref().unwrap_or_default();
    let makes_layer = |step: &rampart_image::History| step.empty_layer != Some(true);
    let ends_a_build = |step: &rampart_image::History| {
        let instruction = step.created_by.as_deref().unwrap_or_default();
        // The classic builder writes `/bin/sh -c #(nop)  CMD ["bash"]`, BuildKit `CMD ["bash"]`.
        let instruction = instruction
            .strip_prefix("/bin/sh -c #(nop)")
            .unwrap_or(instruction)
            .trim_start();
        !makes_layer(step)
            && (instruction.starts_with("CMD") || instruction.starts_with("ENTRYPOINT"))
    };
    let end = (0..history.len())
        .rev()
        .find(|&i| ends_a_build(&history[i]) && history[i + 1..].iter().any(makes_layer))?;
    let layers = history[..end]
        .iter()
        .filter(|step| makes_layer(step))
        .count();
    let name = image
        .config
        .container()
        .labels
        .as_ref()
        .and_then(|labels| labels.get("org.opencontainers.image.base.name"))
        .filter(|name| !name.is_empty())
        .cloned();
    Some(BaseImage { name, layers })
}
