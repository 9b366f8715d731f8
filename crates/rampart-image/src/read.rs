//! From a store to images: the index or `manifest.json`, the platform choice, the config,
//! then every layer in parallel.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::digest::HashingReader;
use crate::error::LimitKind;
use crate::layer::{Budget, read_layer};
use crate::model::{ConfigFile, Image, Layer, Platform};
use crate::store::{ArchiveData, ArchiveStore, BlobRef, LayoutStore, Store};
use crate::{Digest, ImageError, Limits};

/// How to read images.
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    pub limits: &'a Limits,
    /// The platform to take from multi-platform indexes; without one, `linux/amd64` when
    /// offered, else the first image.
    pub platform: Option<&'a Platform>,
    /// Which regular files (by path relative to the root, e.g. `root/.ssh/id_rsa`) to keep the
    /// head of, for rules that read contents.
    pub capture: &'a (dyn Fn(&str) -> bool + Sync),
}

/// An OCI descriptor.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Descriptor {
    pub(crate) digest: String,
    #[serde(default)]
    pub(crate) size: Option<u64>,
    #[serde(default)]
    pub(crate) platform: Option<Platform>,
    #[serde(default)]
    pub(crate) annotations: Option<BTreeMap<String, String>>,
}

/// An OCI index, Docker manifest list, OCI manifest or Docker schema 2 manifest: which one is
/// told by the fields present.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Document {
    #[serde(default)]
    schema_version: Option<u32>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

/// One entry of `docker save`'s `manifest.json`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SavedImage {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// What to read for one image.
pub(crate) struct Plan {
    pub(crate) name: Option<String>,
    pub(crate) manifest_digest: Option<Digest>,
    /// The indexes the manifest was chosen from, outermost first.
    pub(crate) index_digests: Vec<Digest>,
    pub(crate) config: BlobRef,
    pub(crate) layers: Vec<BlobRef>,
}

/// Reads every image at `path`: an OCI layout folder, or a tar archive written by
/// `docker save` (classic or OCI layout inside). `source` is how findings name it.
pub fn read_path(path: &Path, options: &ReadOptions<'_>) -> Result<Vec<Image>, ImageError> {
    let source = path.display().to_string();
    if path.is_dir() {
        if !path.join("index.json").is_file() {
            return Err(ImageError::NotAnImage { path: source });
        }
        let store = LayoutStore {
            root: path.to_owned(),
        };
        let plans = layout_plans(&store, options)?;
        return read_plans(&store, plans, &source, options);
    }
    let mut head = [0u8; 2];
    let mut file = std::fs::File::open(path).map_err(|e| ImageError::io(&source, e))?;
    let read = file
        .read(&mut head)
        .map_err(|e| ImageError::io(&source, e))?;
    if head[..read] == [0x1f, 0x8b] {
        return Err(ImageError::invalid(
            &source,
            "a compressed archive; decompress it first (`gunzip`), images are read from the tar `docker save` writes",
        ));
    }
    let store = ArchiveStore::index(ArchiveData::File(path.to_owned()), &source, options.limits)?;
    read_archive(&store, &source, options)
}

/// Reads the images of a `docker save` archive held in memory (what the fuzz target feeds).
pub fn read_archive_bytes(
    source: &str,
    bytes: Vec<u8>,
    options: &ReadOptions<'_>,
) -> Result<Vec<Image>, ImageError> {
    let store = ArchiveStore::index(ArchiveData::Memory(bytes), source, options.limits)?;
    read_archive(&store, source, options)
}

fn read_archive(
    store: &ArchiveStore,
    source: &str,
    options: &ReadOptions<'_>,
) -> Result<Vec<Image>, ImageError> {
    let plans = if store.contains("manifest.json") {
        saved_plans(store, options)?
    } else if store.contains("index.json") {
        layout_plans(store, options)?
    } else {
        return Err(ImageError::NotAnImage {
            path: source.to_owned(),
        });
    };
    read_plans(store, plans, source, options)
}

pub(crate) fn read_plans(
    store: &dyn Store,
    plans: Vec<Plan>,
    source: &str,
    options: &ReadOptions<'_>,
) -> Result<Vec<Image>, ImageError> {
    plans
        .into_iter()
        .map(|plan| read_image(store, plan, source, options))
        .collect()
}

/// Reads a JSON document, bounded and digest-checked.
pub(crate) fn read_json<T: DeserializeOwned>(
    reader: impl Read,
    blob: &BlobRef,
    limits: &Limits,
) -> Result<(T, Vec<u8>), ImageError> {
    let mut hashing = HashingReader::new(reader);
    let mut bytes = Vec::new();
    (&mut hashing)
        .take(limits.max_json_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ImageError::io(blob.what.clone(), e))?;
    if bytes.len() as u64 > limits.max_json_bytes {
        return Err(ImageError::Limit {
            what: blob.what.clone(),
            limit: LimitKind::JsonBytes(limits.max_json_bytes),
        });
    }
    hashing.verify(&blob.what, blob.digest.as_ref(), blob.size)?;
    let value = serde_json::from_slice(&bytes).map_err(|source| ImageError::Json {
        what: blob.what.clone(),
        source,
    })?;
    Ok((value, bytes))
}

fn saved_plans(store: &ArchiveStore, options: &ReadOptions<'_>) -> Result<Vec<Plan>, ImageError> {
    let list = BlobRef {
        path: "manifest.json".to_owned(),
        digest: None,
        size: None,
        what: "manifest.json".to_owned(),
    };
    let (saved, _): (Vec<SavedImage>, _) = read_json(store.open(&list)?, &list, options.limits)?;
    Ok(saved
        .into_iter()
        .map(|image| Plan {
            name: image.repo_tags.and_then(|tags| tags.into_iter().next()),
            manifest_digest: None,
            index_digests: Vec::new(),
            config: BlobRef {
                digest: digest_in_name(&image.config),
                what: format!("config {}", image.config),
                path: image.config,
                size: None,
            },
            layers: image
                .layers
                .into_iter()
                .map(|path| BlobRef {
                    digest: digest_in_name(&path),
                    what: format!("layer {path}"),
                    path,
                    size: None,
                })
                .collect(),
        })
        .collect())
}

/// `blobs/sha256/<hex>` and the classic `<hex>.json` config name carry the digest.
fn digest_in_name(path: &str) -> Option<Digest> {
    let hex = path
        .strip_prefix("blobs/sha256/")
        .or_else(|| path.strip_suffix(".json"))?;
    Digest::parse(&format!("sha256:{hex}"), path).ok()
}

fn layout_plans(store: &dyn Store, options: &ReadOptions<'_>) -> Result<Vec<Plan>, ImageError> {
    let index = BlobRef {
        path: "index.json".to_owned(),
        digest: None,
        size: None,
        what: "index.json".to_owned(),
    };
    let (document, _): (Document, _) = read_json(store.open(&index)?, &index, options.limits)?;
    plans_of(store, document, &index.what, None, None, &[], 0, options)
}

/// The images a document stands for: a manifest is one; an index is one per platform choice,
/// or all of its manifests when they carry no platform (several tags in one layout).
/// `digest` is the document's own, when known; `indexes` the digests of the indexes it was
/// reached through, `depth` how many.
#[expect(
    clippy::too_many_arguments,
    reason = "one recursive step with its whole context"
)]
pub(crate) fn plans_of(
    store: &dyn Store,
    document: Document,
    what: &str,
    name: Option<String>,
    digest: Option<Digest>,
    indexes: &[Digest],
    depth: usize,
    options: &ReadOptions<'_>,
) -> Result<Vec<Plan>, ImageError> {
    if let Some(manifests) = document.manifests {
        if depth > options.limits.max_index_depth {
            return Err(ImageError::Limit {
                what: what.to_owned(),
                limit: LimitKind::IndexDepth(options.limits.max_index_depth),
            });
        }
        let images: Vec<Descriptor> = manifests
            .into_iter()
            .filter(|descriptor| !is_attestation(descriptor))
            .collect();
        let chosen = if images.iter().any(|d| d.platform.is_some()) {
            vec![choose_platform(images, what, options.platform)?]
        } else {
            images
        };
        // A workload pins a multi-platform image by its index's digest.
        let mut nested_indexes = indexes.to_vec();
        nested_indexes.extend(digest);
        let mut plans = Vec::new();
        for descriptor in chosen {
            let digest = Digest::parse(&descriptor.digest, what)?;
            let blob = BlobRef::by_digest(digest.clone(), descriptor.size, "manifest");
            let (nested, _): (Document, _) =
                read_json(store.open_manifest(&blob)?, &blob, options.limits)?;
            let nested_name = image_name(&descriptor).or_else(|| name.clone());
            plans.extend(plans_of(
                store,
                nested,
                &blob.what,
                nested_name,
                Some(digest),
                &nested_indexes,
                depth + 1,
                options,
            )?);
        }
        return Ok(plans);
    }
    let (Some(config), Some(layers)) = (document.config, document.layers) else {
        let reason = if document.schema_version == Some(1) {
            "a Docker schema 1 manifest, which is not supported (push the image again with a current Docker)"
        } else {
            "neither an image index nor an image manifest"
        };
        return Err(ImageError::invalid(what, reason));
    };
    if layers.len() > options.limits.max_layers {
        return Err(ImageError::Limit {
            what: what.to_owned(),
            limit: LimitKind::Layers(options.limits.max_layers),
        });
    }
    let config_digest = Digest::parse(&config.digest, what)?;
    let layers = layers
        .into_iter()
        .enumerate()
        .map(|(index, layer)| {
            let digest = Digest::parse(&layer.digest, what)?;
            Ok(BlobRef::by_digest(
                digest,
                layer.size,
                &format!("layer {}", index + 1),
            ))
        })
        .collect::<Result<Vec<_>, ImageError>>()?;
    Ok(vec![Plan {
        name,
        manifest_digest: digest,
        index_digests: indexes.to_vec(),
        config: BlobRef::by_digest(config_digest, config.size, "config"),
        layers,
    }])
}

/// BuildKit's provenance and SBOM manifests sit in indexes beside the images, as
/// `unknown/unknown`.
fn is_attestation(descriptor: &Descriptor) -> bool {
    let annotated = descriptor
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("vnd.docker.reference.type"));
    let unknown = descriptor
        .platform
        .as_ref()
        .is_some_and(|p| p.os == "unknown" && p.architecture == "unknown");
    annotated || unknown
}

fn image_name(descriptor: &Descriptor) -> Option<String> {
    let annotations = descriptor.annotations.as_ref()?;
    annotations
        .get("io.containerd.image.name")
        .or_else(|| annotations.get("org.opencontainers.image.ref.name"))
        .cloned()
}

fn choose_platform(
    images: Vec<Descriptor>,
    what: &str,
    wanted: Option<&Platform>,
) -> Result<Descriptor, ImageError> {
    let offered = |d: &Descriptor| d.platform.as_ref().map(ToString::to_string);
    let available: Vec<String> = images.iter().filter_map(offered).collect();
    let default = Platform {
        os: "linux".to_owned(),
        architecture: "amd64".to_owned(),
        variant: None,
    };
    let position = match wanted {
        Some(wanted) => images
            .iter()
            .position(|d| d.platform.as_ref().is_some_and(|p| wanted.matches(p))),
        None => images
            .iter()
            .position(|d| d.platform.as_ref().is_some_and(|p| default.matches(p)))
            .or(if images.is_empty() { None } else { Some(0) }),
    };
    match position {
        Some(position) => Ok(images
            .into_iter()
            .nth(position)
            .expect("position is in range")),
        None => Err(ImageError::NoPlatform {
            what: what.to_owned(),
            wanted: wanted.map_or_else(|| default.to_string(), ToString::to_string),
            available: if available.is_empty() {
                "no image".to_owned()
            } else {
                available.join(", ")
            },
        }),
    }
}

fn read_image(
    store: &dyn Store,
    plan: Plan,
    source: &str,
    options: &ReadOptions<'_>,
) -> Result<Image, ImageError> {
    let (config, config_bytes): (ConfigFile, _) =
        read_json(store.open(&plan.config)?, &plan.config, options.limits)?;
    let config_digest = plan
        .config
        .digest
        .clone()
        .unwrap_or_else(|| Digest::of(&config_bytes));
    if plan.layers.len() > options.limits.max_layers {
        return Err(ImageError::Limit {
            what: plan.config.what.clone(),
            limit: LimitKind::Layers(options.limits.max_layers),
        });
    }
    let diff_ids = config
        .rootfs
        .as_ref()
        .map(|rootfs| rootfs.diff_ids.as_slice())
        .unwrap_or_default();
    if diff_ids.len() != plan.layers.len() {
        return Err(ImageError::invalid(
            &plan.config.what,
            format!(
                "lists {} layers (rootfs.diff_ids), the manifest {}",
                diff_ids.len(),
                plan.layers.len()
            ),
        ));
    }
    let budget = Budget::new(options.limits);
    let listings = plan
        .layers
        .par_iter()
        .enumerate()
        .map(|(index, blob)| {
            // A classic `docker save` layer (`<id>/layer.tar`) is the uncompressed tar, whose
            // digest is the config's diff_id.
            let expected = match &blob.digest {
                Some(digest) => Some(digest.clone()),
                None => Some(Digest::parse(&diff_ids[index], &plan.config.what)?),
            };
            let reader = store.open(blob)?;
            read_layer(
                reader,
                index,
                &blob.what,
                expected.as_ref(),
                blob.size,
                &budget,
                options.capture,
            )
        })
        .collect::<Result<Vec<_>, ImageError>>()?;
    let history = config.layer_history();
    let mut problems = Vec::new();
    let layers = listings
        .into_iter()
        .zip(plan.layers)
        .enumerate()
        .map(|(index, (listing, blob))| {
            problems.extend(listing.problems);
            Layer {
                digest: blob.digest,
                created_by: history.get(index).cloned().flatten(),
                entries: listing.entries,
            }
        })
        .collect();
    Ok(Image {
        source: source.to_owned(),
        name: plan.name,
        manifest_digest: plan.manifest_digest,
        index_digests: plan.index_digests,
        config_digest,
        config,
        layers,
        problems,
    })
}
