//! Builds images from a short text description, so tests, fixtures, examples and benchmarks
//! never commit binary archives. A description is TOML:
//!
//! ```toml
//! name = "registry.example/app:1.0"   # optional: the tag `docker save` records
//! [config]                            # Docker's `config` object, as written
//! User = "app"
//! ExposedPorts = { "8080/tcp" = {} }
//!
//! [[layers]]
//! created_by = "COPY . /app"          # the history step (the Dockerfile instruction)
//! compression = "gzip"                # gzip (default), zstd or none
//! files = [
//!   { path = "app/run.sh", mode = 0o755, content = "#!/bin/sh\n" },
//!   { path = "usr/bin/su", mode = 0o4755, size = 4096 },  # 4096 filler bytes
//!   { path = "tmp", type = "dir", mode = 0o1777 },
//!   { path = "bin/sh", type = "symlink", target = "busybox" },
//!   { path = "root/.wh.secret" },                          # a whiteout
//! ]
//!
//! [[layers]]
//! created_by = "USER app"
//! empty = true                        # a history step without a layer
//! ```

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::Digest;
use serde::Deserialize;

/// An image description.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "default_os")]
    pub os: String,
    #[serde(default = "default_architecture")]
    pub architecture: String,
    /// Docker's `config` object (User, Env, ExposedPorts, Labels, Healthcheck, ...).
    #[serde(default)]
    pub config: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub layers: Vec<LayerSpec>,
}

fn default_os() -> String {
    "linux".to_owned()
}

fn default_architecture() -> String {
    "amd64".to_owned()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    #[serde(default)]
    pub created_by: Option<String>,
    /// A history step that made no layer (ENV, USER, ARG, ...).
    #[serde(default)]
    pub empty: bool,
    #[serde(default)]
    pub compression: Compression,
    #[serde(default)]
    pub files: Vec<FileSpec>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    #[default]
    Gzip,
    Zstd,
    None,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    #[default]
    File,
    Dir,
    Symlink,
    Hardlink,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// Written as given: `etc/passwd`, or unsafe names (`../x`, `/abs`) for tests of them.
    pub path: String,
    #[serde(default, rename = "type")]
    pub kind: FileType,
    #[serde(default)]
    pub mode: Option<u32>,
    #[serde(default)]
    pub uid: u64,
    #[serde(default)]
    pub gid: u64,
    #[serde(default)]
    pub content: Option<String>,
    /// Filler bytes (text-like, deterministic) instead of `content`.
    #[serde(default)]
    pub size: Option<u64>,
    /// Symlink or hard link target.
    #[serde(default)]
    pub target: Option<String>,
}

impl ImageSpec {
    /// Parses a TOML description.
    pub fn parse(text: &str) -> Result<ImageSpec, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

/// A built layer blob.
#[derive(Debug, Clone)]
pub struct BuiltLayer {
    pub blob: Vec<u8>,
    pub digest: Digest,
    pub diff_id: Digest,
    pub media_type: &'static str,
}

/// An image built in memory: what a registry push or a layout needs.
#[derive(Debug, Clone)]
pub struct BuiltImage {
    pub config: Vec<u8>,
    pub config_digest: Digest,
    pub layers: Vec<BuiltLayer>,
    /// An OCI image manifest.
    pub manifest: Vec<u8>,
    pub manifest_digest: Digest,
}

pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
pub const INDEX_MEDIA_TYPE: &str = "application/vnd.oci.image.index.v1+json";
const CONFIG_MEDIA_TYPE: &str = "application/vnd.oci.image.config.v1+json";

/// Builds the image's blobs in memory.
pub fn build(spec: &ImageSpec) -> io::Result<BuiltImage> {
    build_with(spec, None)
}

fn build_with(spec: &ImageSpec, forced: Option<Compression>) -> io::Result<BuiltImage> {
    let mut layers = Vec::new();
    let mut history = Vec::new();
    for layer in &spec.layers {
        let mut step = serde_json::Map::new();
        if let Some(created_by) = &layer.created_by {
            step.insert("created_by".into(), created_by.clone().into());
        }
        if layer.empty {
            step.insert("empty_layer".into(), true.into());
        } else {
            layers.push(build_layer(layer, forced.unwrap_or(layer.compression))?);
        }
        history.push(serde_json::Value::Object(step));
    }
    let diff_ids: Vec<String> = layers.iter().map(|l| l.diff_id.to_string()).collect();
    let config = serde_json::json!({
        "architecture": spec.architecture,
        "os": spec.os,
        "config": spec.config,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    });
    let config = serde_json::to_vec(&config)?;
    let config_digest = Digest::of(&config);
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": CONFIG_MEDIA_TYPE, "digest": config_digest.to_string(), "size": config.len()},
        "layers": layers.iter().map(|l| serde_json::json!({
            "mediaType": l.media_type, "digest": l.digest.to_string(), "size": l.blob.len(),
        })).collect::<Vec<_>>(),
    });
    let manifest = serde_json::to_vec(&manifest)?;
    Ok(BuiltImage {
        manifest_digest: Digest::of(&manifest),
        manifest,
        config,
        config_digest,
        layers,
    })
}

fn build_layer(spec: &LayerSpec, compression: Compression) -> io::Result<BuiltLayer> {
    let tar_bytes = {
        let mut builder = tar::Builder::new(Vec::new());
        for file in &spec.files {
            append(&mut builder, file)?;
        }
        builder.into_inner()?
    };
    let diff_id = Digest::of(&tar_bytes);
    let (blob, media_type) = match compression {
        Compression::None => (tar_bytes, "application/vnd.oci.image.layer.v1.tar"),
        Compression::Gzip => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(&tar_bytes)?;
            (
                encoder.finish()?,
                "application/vnd.oci.image.layer.v1.tar+gzip",
            )
        }
        Compression::Zstd => (
            zstd::encode_all(&tar_bytes[..], 3)?,
            "application/vnd.oci.image.layer.v1.tar+zstd",
        ),
    };
    Ok(BuiltLayer {
        digest: Digest::of(&blob),
        blob,
        diff_id,
        media_type,
    })
}

/// Appends one entry, writing its name raw so that tests can build unsafe archives.
fn append<W: Write>(builder: &mut tar::Builder<W>, file: &FileSpec) -> io::Result<()> {
    let mut header = tar::Header::new_gnu();
    let (kind, default_mode) = match file.kind {
        FileType::File => (tar::EntryType::Regular, 0o644),
        FileType::Dir => (tar::EntryType::Directory, 0o755),
        FileType::Symlink => (tar::EntryType::Symlink, 0o777),
        FileType::Hardlink => (tar::EntryType::Link, 0o644),
    };
    header.set_entry_type(kind);
    header.set_mode(file.mode.unwrap_or(default_mode));
    header.set_uid(file.uid);
    header.set_gid(file.gid);
    header.set_mtime(0);
    let data: Vec<u8> = match (file.kind, &file.content, file.size) {
        (FileType::File, Some(content), _) => content.clone().into_bytes(),
        (FileType::File, None, Some(size)) => filler(&file.path, size),
        _ => Vec::new(),
    };
    header.set_size(data.len() as u64);
    if let Some(target) = &file.target {
        // Raw, unchecked: `set_link_name` refuses `..`, which tests need.
        let name = target.as_bytes();
        let gnu = header.as_gnu_mut().expect("a GNU header");
        if name.len() > gnu.linkname.len() {
            return Err(io::Error::other(format!("link target too long: {target}")));
        }
        gnu.linkname[..name.len()].copy_from_slice(name);
    }
    let name = file.path.as_bytes();
    {
        let gnu = header.as_gnu_mut().expect("a GNU header");
        if name.len() > gnu.name.len() {
            return Err(io::Error::other(format!("path too long: {}", file.path)));
        }
        gnu.name[..name.len()].copy_from_slice(name);
    }
    header.set_cksum();
    builder.append(&header, &data[..])
}

/// Deterministic text-like bytes (words of letters and digits): compresses about as well as
/// real binaries and text mixed, unlike zeros or random bytes.
pub fn filler(seed: &str, size: u64) -> Vec<u8> {
    let mut state = seed.bytes().fold(0x9e37_79b9_7f4a_7c15_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }) | 1;
    let mut out = Vec::with_capacity(size as usize);
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ    \n";
    while (out.len() as u64) < size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        for shift in [0, 8, 16, 24, 32, 40, 48, 56] {
            if (out.len() as u64) < size {
                out.push(ALPHABET[((state >> shift) & 0xff) as usize % ALPHABET.len()]);
            }
        }
    }
    out
}

/// Writes the image as an OCI image layout folder (created if missing).
pub fn write_layout(spec: &ImageSpec, dir: &Path) -> io::Result<BuiltImage> {
    let built = build(spec)?;
    write_layout_of(&built, spec.name.as_deref(), dir)?;
    Ok(built)
}

fn write_layout_of(built: &BuiltImage, name: Option<&str>, dir: &Path) -> io::Result<()> {
    let blobs = dir.join("blobs/sha256");
    fs::create_dir_all(&blobs)?;
    fs::write(dir.join("oci-layout"), OCI_LAYOUT)?;
    let write_blob = |digest: &Digest, bytes: &[u8]| fs::write(blobs.join(digest.hex()), bytes);
    write_blob(&built.config_digest, &built.config)?;
    for layer in &built.layers {
        write_blob(&layer.digest, &layer.blob)?;
    }
    write_blob(&built.manifest_digest, &built.manifest)?;
    fs::write(dir.join("index.json"), layout_index(built, name)?)
}

const OCI_LAYOUT: &[u8] = br#"{"imageLayoutVersion":"1.0.0"}"#;

/// A layout's `index.json` naming the image.
fn layout_index(built: &BuiltImage, name: Option<&str>) -> io::Result<Vec<u8>> {
    let mut descriptor = serde_json::json!({
        "mediaType": MANIFEST_MEDIA_TYPE,
        "digest": built.manifest_digest.to_string(),
        "size": built.manifest.len(),
    });
    if let Some(name) = name {
        descriptor["annotations"] = serde_json::json!({"io.containerd.image.name": name});
    }
    let index = serde_json::json!({"schemaVersion": 2, "mediaType": INDEX_MEDIA_TYPE, "manifests": [descriptor]});
    Ok(serde_json::to_vec(&index)?)
}

/// The two archive shapes `docker save` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveStyle {
    /// Before Docker 25: `manifest.json`, `<id>.json` config, `<n>/layer.tar` uncompressed.
    Classic,
    /// Docker 25 and later: an OCI layout with `manifest.json` beside it.
    Layout,
}

/// Writes the image as a `docker save` archive.
pub fn write_docker_archive(spec: &ImageSpec, path: &Path, style: ArchiveStyle) -> io::Result<()> {
    let file = fs::File::create(path)?;
    let mut tar = tar::Builder::new(io::BufWriter::new(file));
    let mut add = |name: &str, bytes: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        tar.append_data(&mut header, name, bytes)
    };
    let tags: Vec<&str> = spec.name.as_deref().into_iter().collect();
    match style {
        ArchiveStyle::Classic => {
            let built = build_with(spec, Some(Compression::None))?;
            let config_name = format!("{}.json", built.config_digest.hex());
            add(&config_name, &built.config)?;
            let mut layer_names = Vec::new();
            for (index, layer) in built.layers.iter().enumerate() {
                let name = format!("{index}/layer.tar");
                add(&name, &layer.blob)?;
                layer_names.push(name);
            }
            let manifest = serde_json::json!([{"Config": config_name, "RepoTags": tags, "Layers": layer_names}]);
            add("manifest.json", &serde_json::to_vec(&manifest)?)?;
        }
        ArchiveStyle::Layout => {
            let built = build(spec)?;
            add("oci-layout", OCI_LAYOUT)?;
            add("index.json", &layout_index(&built, spec.name.as_deref())?)?;
            let blob = |digest: &Digest| format!("blobs/sha256/{}", digest.hex());
            add(&blob(&built.config_digest), &built.config)?;
            add(&blob(&built.manifest_digest), &built.manifest)?;
            for layer in &built.layers {
                add(&blob(&layer.digest), &layer.blob)?;
            }
            let manifest = serde_json::json!([{
                "Config": blob(&built.config_digest),
                "RepoTags": tags,
                "Layers": built.layers.iter().map(|l| blob(&l.digest)).collect::<Vec<_>>(),
            }]);
            add("manifest.json", &serde_json::to_vec(&manifest)?)?;
        }
    }
    tar.into_inner()?.flush()
}
