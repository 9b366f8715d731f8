//! What rampart keeps of an image: its configuration and, per layer, the metadata of every
//! entry (never file contents, except the bounded head of files a rule asked for).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::Digest;

/// One image read from a layout, an archive or a registry.
#[derive(Debug, Clone)]
pub struct Image {
    /// Where it was read, as the user named it: a path or a registry reference.
    pub source: String,
    /// `repository:tag` when the source names one (a `docker save` tag, an OCI
    /// `org.opencontainers.image.ref.name` annotation, the reference pulled).
    pub name: Option<String>,
    /// The manifest's digest, when the source gives one.
    pub manifest_digest: Option<Digest>,
    /// The digests of the image indexes it was chosen from (a multi-platform image's, which
    /// is what a workload pins), outermost first.
    pub index_digests: Vec<Digest>,
    pub config_digest: Digest,
    pub config: ConfigFile,
    /// Base layer first.
    pub layers: Vec<Layer>,
    /// Entries refused while reading (unsafe paths, links out of the image): reported, not
    /// kept.
    pub problems: Vec<Problem>,
}

/// An entry of a layer that rampart refused to keep, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Index of the layer in [`Image::layers`].
    pub layer: usize,
    /// The entry's name as the archive spells it.
    pub entry: String,
    pub reason: String,
}

/// One filesystem layer.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The blob's digest (compressed, as the manifest lists it).
    pub digest: Option<Digest>,
    /// The `created_by` of the history step that made it (the Dockerfile instruction).
    pub created_by: Option<String>,
    pub entries: Vec<Entry>,
}

/// One tar entry of a layer, path normalised (relative to the image root, no `./`, no
/// trailing `/`). Whiteouts are entries of their own kinds, pointing at what they delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub kind: EntryKind,
    /// Permission bits with setuid (0o4000), setgid (0o2000) and sticky (0o1000).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    /// The target of a symlink or hard link, as written.
    pub link: Option<String>,
    /// The head of the file (at most `Limits::max_captured_bytes`), for files a rule reads.
    pub content: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Directory,
    Symlink,
    HardLink,
    Device,
    Fifo,
    /// `.wh.NAME`: deletes NAME (and what is under it) from the layers below.
    Whiteout,
    /// `.wh..wh..opq` in a folder: hides everything the layers below put in that folder.
    OpaqueDirectory,
}

impl Entry {
    /// Whether the entry puts something in the filesystem (not a whiteout).
    pub fn is_content(&self) -> bool {
        !matches!(self.kind, EntryKind::Whiteout | EntryKind::OpaqueDirectory)
    }

    /// `/path`, as people write paths inside an image.
    pub fn display_path(&self) -> String {
        format!("/{}", self.path)
    }
}

/// What became of a layer's entry in the final filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// It is what the container sees.
    Visible,
    /// A later layer deleted it (whiteout, opaque folder) or put something else at its path;
    /// its bytes still ship in its own layer.
    Hidden { by_layer: usize },
}

/// Where an entry is: layer and position in the layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EntryId {
    pub layer: usize,
    pub index: usize,
}

/// The filesystem a container of the image starts with, computed by applying the layers in
/// order (OCI image spec, "Applying changesets"), and the fate of every entry of every layer.
#[derive(Debug, Clone)]
pub struct FileSystem<'a> {
    layers: &'a [Layer],
    visible: BTreeMap<String, EntryId>,
    fates: Vec<Vec<Fate>>,
}

impl<'a> FileSystem<'a> {
    /// Applies `layers` in order: each layer's whiteouts and opaque folders remove what the
    /// layers below it put there, then its entries are added (an entry replaces what was at
    /// its path; a non-folder also hides what a folder of that path held).
    pub fn of(layers: &'a [Layer]) -> FileSystem<'a> {
        let mut visible: BTreeMap<String, EntryId> = BTreeMap::new();
        let mut fates: Vec<Vec<Fate>> = layers
            .iter()
            .map(|layer| vec![Fate::Visible; layer.entries.len()])
            .collect();
        let hide = |id: EntryId, by_layer: usize, fates: &mut Vec<Vec<Fate>>| {
            fates[id.layer][id.index] = Fate::Hidden { by_layer };
        };
        for (layer_index, layer) in layers.iter().enumerate() {
            for entry in &layer.entries {
                let removed: Vec<String> = match entry.kind {
                    EntryKind::Whiteout => under(&visible, &entry.path, true),
                    EntryKind::OpaqueDirectory => under(&visible, &entry.path, false),
                    _ => continue,
                };
                for path in removed {
                    if let Some(id) = visible.remove(&path) {
                        hide(id, layer_index, &mut fates);
                    }
                }
            }
            for (index, entry) in layer.entries.iter().enumerate() {
                if !entry.is_content() {
                    continue;
                }
                let id = EntryId {
                    layer: layer_index,
                    index,
                };
                if entry.kind != EntryKind::Directory {
                    for path in under(&visible, &entry.path, false) {
                        if let Some(old) = visible.remove(&path) {
                            hide(old, layer_index, &mut fates);
                        }
                    }
                }
                if let Some(old) = visible.insert(entry.path.clone(), id) {
                    hide(old, layer_index, &mut fates);
                }
            }
        }
        FileSystem {
            layers,
            visible,
            fates,
        }
    }

    /// The visible entries, by path.
    pub fn visible(&self) -> impl Iterator<Item = (&str, EntryId)> {
        self.visible.iter().map(|(path, id)| (path.as_str(), *id))
    }

    /// The visible entry at `path` (relative, no leading `/`).
    pub fn get(&self, path: &str) -> Option<EntryId> {
        self.visible.get(path).copied()
    }

    /// What became of an entry.
    pub fn fate(&self, id: EntryId) -> Fate {
        self.fates[id.layer][id.index]
    }

    /// The entry with this id.
    pub fn entry(&self, id: EntryId) -> &'a Entry {
        &self.layers[id.layer].entries[id.index]
    }

    /// The visible paths strictly under `folder` (`""` is the root).
    pub(crate) fn paths_under(&self, folder: &str) -> Vec<String> {
        under(&self.visible, folder, false)
    }
}

/// The visible paths strictly under `folder` (and `folder` itself when `including`); `""`
/// is the root.
fn under(visible: &BTreeMap<String, EntryId>, folder: &str, including: bool) -> Vec<String> {
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let mut paths: Vec<String> = visible
        .range(prefix.clone()..)
        .take_while(|(path, _)| path.starts_with(&prefix))
        .map(|(path, _)| path.clone())
        .collect();
    if including && visible.contains_key(folder) {
        paths.push(folder.to_owned());
    }
    paths
}

impl Image {
    /// The entry with this id.
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.layers[id.layer].entries[id.index]
    }

    /// Every entry of every layer, with its id, base layer first.
    pub fn entries(&self) -> impl Iterator<Item = (EntryId, &Entry)> {
        self.layers.iter().enumerate().flat_map(|(layer, l)| {
            l.entries
                .iter()
                .enumerate()
                .map(move |(index, entry)| (EntryId { layer, index }, entry))
        })
    }

    /// The repository the image belongs to, without tag or digest, when known: what stays
    /// the same when the image is rebuilt.
    pub fn repository(&self) -> Option<&str> {
        let name = self.name.as_deref()?;
        let name = name.split('@').next().unwrap_or(name);
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        Some(match name[last_slash..].rfind(':') {
            Some(colon) => &name[..last_slash + colon],
            None => name,
        })
    }

    /// The uid the image's own `/etc/passwd` gives the user `name`, when the reader kept the
    /// head of that file (see `ReadOptions::capture`) and it lists the name.
    pub fn passwd_uid(&self, files: &FileSystem, name: &str) -> Option<u32> {
        let passwd = self.entry(files.get("etc/passwd")?).content.as_deref()?;
        std::str::from_utf8(passwd).ok()?.lines().find_map(|line| {
            let mut fields = line.split(':');
            (fields.next()? == name).then_some(())?;
            fields.nth(1)?.parse().ok()
        })
    }

    /// How a layer is named in messages: `layer 3 (sha256:0123456789ab, RUN apt-get ...)`.
    pub fn describe_layer(&self, index: usize) -> String {
        let layer = &self.layers[index];
        let mut parts = Vec::new();
        if let Some(digest) = &layer.digest {
            parts.push(format!("sha256:{}", digest.short()));
        }
        if let Some(created_by) = &layer.created_by {
            parts.push(format!("`{}`", shorten(created_by, 60)));
        }
        if parts.is_empty() {
            format!("layer {}", index + 1)
        } else {
            format!("layer {} ({})", index + 1, parts.join(", "))
        }
    }
}

/// `text` cut to `max` characters with `…`, for messages.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    let text = text
        .strip_prefix("/bin/sh -c #(nop) ")
        .or_else(|| text.strip_prefix("/bin/sh -c "))
        .unwrap_or(text)
        .trim();
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// The image configuration (OCI image spec `config.json`; Docker writes the same shape).
/// Only what rules read is kept; unknown fields are ignored, `null`s are empty.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct ConfigFile {
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub config: Option<ContainerConfig>,
    #[serde(default)]
    pub rootfs: Option<RootFs>,
    #[serde(default)]
    pub history: Option<Vec<History>>,
}

/// The runtime settings of `config.config`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub env: Option<Vec<String>>,
    #[serde(default)]
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub healthcheck: Option<Healthcheck>,
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    #[serde(default)]
    pub working_dir: Option<String>,
}

/// Docker's `Healthcheck`; `Test: ["NONE"]` disables one inherited from the base image.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    #[serde(default)]
    pub test: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct RootFs {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

/// One build step; steps with `empty_layer` made no layer (ENV, USER, ...).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct History {
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub empty_layer: Option<bool>,
}

impl ConfigFile {
    /// `config.config`, or an empty one.
    pub fn container(&self) -> &ContainerConfig {
        static EMPTY: std::sync::OnceLock<ContainerConfig> = std::sync::OnceLock::new();
        self.config
            .as_ref()
            .unwrap_or_else(|| EMPTY.get_or_init(ContainerConfig::default))
    }

    /// The history steps that made a layer, in layer order.
    pub(crate) fn layer_history(&self) -> Vec<Option<String>> {
        self.history
            .iter()
            .flatten()
            .filter(|step| step.empty_layer != Some(true))
            .map(|step| step.created_by.clone())
            .collect()
    }
}

/// An `os/architecture[/variant]` choice among the images of an index.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default)]
    pub variant: Option<String>,
}

impl Platform {
    /// Parses `linux/amd64` or `linux/arm64/v8`.
    pub fn parse(text: &str) -> Result<Platform, String> {
        let parts: Vec<&str> = text.split('/').collect();
        let valid = |part: &&str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        };
        match parts.as_slice() {
            [os, architecture] | [os, architecture, _] if parts.iter().all(valid) => Ok(Platform {
                os: (*os).to_owned(),
                architecture: (*architecture).to_owned(),
                variant: parts.get(2).map(|v| (*v).to_owned()),
            }),
            _ => Err(format!(
                "platform `{text}` is not os/architecture[/variant], e.g. linux/amd64"
            )),
        }
    }

    /// Whether an index entry for `offered` is the wanted platform. A wanted platform without
    /// a variant takes any variant; `arm64` without a variant is `arm64/v8`.
    pub fn matches(&self, offered: &Platform) -> bool {
        let variant_of =
            |platform: &Platform| match (&platform.variant, platform.architecture.as_str()) {
                (None, "arm64") => Some("v8".to_owned()),
                (variant, _) => variant.clone(),
            };
        self.os == offered.os
            && self.architecture == offered.architecture
            && (self.variant.is_none() || variant_of(self) == variant_of(offered))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: EntryKind) -> Entry {
        Entry {
            path: path.to_owned(),
            kind,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: 0,
            link: None,
            content: None,
        }
    }

    fn layer(entries: Vec<Entry>) -> Layer {
        Layer {
            digest: None,
            created_by: None,
            entries,
        }
    }

    fn visible<'f>(fs: &'f FileSystem<'_>) -> Vec<&'f str> {
        fs.visible().map(|(path, _)| path).collect()
    }

    #[test]
    fn whiteouts_and_opaque_folders_apply_to_lower_layers_only() {
        use EntryKind::*;
        let layers = vec![
            layer(vec![
                entry("etc", Directory),
                entry("etc/secret", File),
                entry("etc/keep", File),
                entry("app", Directory),
                entry("app/old", File),
                entry("app/sub", Directory),
                entry("app/sub/deep", File),
            ]),
            layer(vec![
                entry("etc/secret", Whiteout),
                entry("app", OpaqueDirectory),
                entry("app/new", File),
                entry("etc/keep", File),
            ]),
        ];
        let fs = FileSystem::of(&layers);
        assert_eq!(visible(&fs), ["app", "app/new", "etc", "etc/keep"]);
        let id = |layer, index| EntryId { layer, index };
        assert_eq!(fs.fate(id(0, 1)), Fate::Hidden { by_layer: 1 });
        assert_eq!(fs.fate(id(0, 2)), Fate::Hidden { by_layer: 1 }, "replaced");
        assert_eq!(fs.fate(id(0, 4)), Fate::Hidden { by_layer: 1 }, "opaque");
        assert_eq!(
            fs.fate(id(0, 3)),
            Fate::Visible,
            "the opaque folder itself stays"
        );
        assert_eq!(
            fs.fate(id(1, 2)),
            Fate::Visible,
            "added beside the opaque marker"
        );
        assert_eq!(fs.get("etc/keep"), Some(id(1, 3)));
    }

    #[test]
    fn a_file_replacing_a_folder_hides_its_contents() {
        use EntryKind::*;
        let layers = vec![
            layer(vec![entry("data", Directory), entry("data/key", File)]),
            layer(vec![entry("data", Symlink)]),
            layer(vec![entry("data", Whiteout)]),
        ];
        let fs = FileSystem::of(&layers);
        assert!(visible(&fs).is_empty());
        assert_eq!(
            fs.fate(EntryId { layer: 0, index: 1 }),
            Fate::Hidden { by_layer: 1 }
        );
        assert_eq!(
            fs.fate(EntryId { layer: 1, index: 0 }),
            Fate::Hidden { by_layer: 2 }
        );
    }

    #[test]
    fn platforms_parse_and_match_like_the_runtime() {
        let wanted = Platform::parse("linux/arm64").unwrap();
        let offered = Platform::parse("linux/arm64/v8").unwrap();
        assert!(wanted.matches(&offered));
        assert!(
            Platform::parse("linux/arm64/v8")
                .unwrap()
                .matches(&Platform::parse("linux/arm64").unwrap())
        );
        assert!(
            !Platform::parse("linux/arm/v7")
                .unwrap()
                .matches(&Platform::parse("linux/arm/v6").unwrap())
        );
        assert!(!wanted.matches(&Platform::parse("linux/amd64").unwrap()));
        assert!(Platform::parse("linux").is_err());
        assert!(Platform::parse("linux//v7").is_err());
        assert_eq!(offered.to_string(), "linux/arm64/v8");
    }

    #[test]
    fn repository_drops_tag_and_digest_but_not_a_port() {
        let image = |name: &str| Image {
            source: String::new(),
            name: Some(name.to_owned()),
            manifest_digest: None,
            index_digests: Vec::new(),
            config_digest: Digest::of(b""),
            config: ConfigFile::default(),
            layers: Vec::new(),
            problems: Vec::new(),
        };
        assert_eq!(
            image("localhost:5000/app:1.2").repository(),
            Some("localhost:5000/app")
        );
        assert_eq!(image("app@sha256:abc").repository(), Some("app"));
        assert_eq!(
            image("localhost:5000/app").repository(),
            Some("localhost:5000/app")
        );
    }
}
