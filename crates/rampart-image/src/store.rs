//! Where blobs come from: an OCI layout folder, a tar archive (read in place, by offset), or
//! a registry (see `registry`).

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::LimitKind;
use crate::{Digest, ImageError, Limits};

/// A blob to read: by path inside a layout or archive, and by digest for a registry.
#[derive(Debug, Clone)]
pub(crate) struct BlobRef {
    pub(crate) path: String,
    /// Checked against the content when known.
    pub(crate) digest: Option<Digest>,
    pub(crate) size: Option<u64>,
    /// How errors name it: `layer 2 (blobs/sha256/…)`.
    pub(crate) what: String,
}

impl BlobRef {
    pub(crate) fn by_digest(digest: Digest, size: Option<u64>, what: &str) -> BlobRef {
        BlobRef {
            path: digest.layout_path(),
            what: format!("{what} {digest}"),
            digest: Some(digest),
            size,
        }
    }
}

pub(crate) type BlobReader<'s> = Box<dyn Read + Send + 's>;

/// A source of blobs. Opened once per blob, from any thread.
pub(crate) trait Store: Sync {
    fn open(&self, blob: &BlobRef) -> Result<BlobReader<'_>, ImageError>;

    /// Manifests and indexes (registries serve them apart from blobs).
    fn open_manifest(&self, blob: &BlobRef) -> Result<BlobReader<'_>, ImageError> {
        self.open(blob)
    }

    /// Whether a file exists at `path` (layouts and archives only).
    fn contains(&self, path: &str) -> bool;
}

/// An OCI image layout folder.
pub(crate) struct LayoutStore {
    pub(crate) root: PathBuf,
}

impl Store for LayoutStore {
    fn open(&self, blob: &BlobRef) -> Result<BlobReader<'_>, ImageError> {
        // Paths come from validated digests or fixed names; never `..`.
        let path = self.root.join(&blob.path);
        match File::open(&path) {
            Ok(file) => Ok(Box::new(file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ImageError::Missing {
                what: blob.what.clone(),
            }),
            Err(e) => Err(ImageError::io(blob.what.clone(), e)),
        }
    }

    fn contains(&self, path: &str) -> bool {
        self.root.join(path).is_file()
    }
}

/// Where an archive's bytes are.
pub(crate) enum ArchiveData {
    File(PathBuf),
    Memory(Vec<u8>),
}

/// A tar archive (`docker save`), indexed once: each member's offset and size, so blobs are
/// read in place, in parallel, without unpacking.
pub(crate) struct ArchiveStore {
    data: ArchiveData,
    members: HashMap<String, Member>,
}

#[derive(Debug, Clone)]
enum Member {
    File {
        offset: u64,
        size: u64,
    },
    /// Older `docker save` links duplicate layers to the first copy.
    Link(String),
}

impl ArchiveStore {
    pub(crate) fn index(
        data: ArchiveData,
        what: &str,
        limits: &Limits,
    ) -> Result<ArchiveStore, ImageError> {
        let members = match &data {
            ArchiveData::File(path) => {
                let file = File::open(path).map_err(|e| ImageError::io(what, e))?;
                index_members(file, what, limits)?
            }
            ArchiveData::Memory(bytes) => index_members(std::io::Cursor::new(bytes), what, limits)?,
        };
        Ok(ArchiveStore { data, members })
    }

    fn resolve(&self, path: &str) -> Option<(u64, u64)> {
        let mut path = path.to_owned();
        // Links to links, bounded.
        for _ in 0..8 {
            match self.members.get(&path)? {
                Member::File { offset, size } => return Some((*offset, *size)),
                Member::Link(target) => path = target.clone(),
            }
        }
        None
    }
}

fn index_members<R: Read + Seek>(
    reader: R,
    what: &str,
    limits: &Limits,
) -> Result<HashMap<String, Member>, ImageError> {
    let corrupt =
        |e: std::io::Error| ImageError::invalid(what, format!("not a readable tar archive: {e}"));
    let mut archive = tar::Archive::new(reader);
    let mut members = HashMap::new();
    for entry in archive.entries_with_seek().map_err(corrupt)? {
        let entry = entry.map_err(corrupt)?;
        if members.len() as u64 >= limits.max_entries {
            return Err(ImageError::Limit {
                what: what.to_owned(),
                limit: LimitKind::Entries(limits.max_entries),
            });
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        // Unsafe names are never looked up: a manifest naming one finds nothing.
        let Ok(path) = crate::layer::normalise(&raw) else {
            continue;
        };
        let member = match entry.header().entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous => Member::File {
                offset: entry.raw_file_position(),
                size: entry.size(),
            },
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let Some(target) = entry.link_name_bytes() else {
                    continue;
                };
                let target = String::from_utf8_lossy(&target).into_owned();
                let joined = if entry.header().entry_type() == tar::EntryType::Symlink {
                    match path.rsplit_once('/') {
                        Some((folder, _)) => format!("{folder}/{target}"),
                        None => target,
                    }
                } else {
                    target
                };
                match crate::layer::normalise(&joined) {
                    Ok(target) => Member::Link(target),
                    Err(_) => continue,
                }
            }
            _ => continue,
        };
        members.insert(path, member);
    }
    Ok(members)
}

impl Store for ArchiveStore {
    fn open(&self, blob: &BlobRef) -> Result<BlobReader<'_>, ImageError> {
        let missing = || ImageError::Missing {
            what: blob.what.clone(),
        };
        let path = crate::layer::normalise(&blob.path).map_err(|_| missing())?;
        let (offset, size) = self.resolve(&path).ok_or_else(missing)?;
        match &self.data {
            ArchiveData::File(archive) => {
                let mut file =
                    File::open(archive).map_err(|e| ImageError::io(blob.what.clone(), e))?;
                file.seek(SeekFrom::Start(offset))
                    .map_err(|e| ImageError::io(blob.what.clone(), e))?;
                Ok(Box::new(file.take(size)))
            }
            ArchiveData::Memory(bytes) => {
                let start = usize::try_from(offset).map_err(|_| missing())?;
                let end = start.saturating_add(usize::try_from(size).map_err(|_| missing())?);
                let member = bytes.get(start..end).ok_or_else(missing)?;
                Ok(Box::new(member))
            }
        }
    }

    fn contains(&self, path: &str) -> bool {
        self.resolve(path).is_some()
    }
}

/// Whether `path` is a folder holding an OCI image layout.
pub fn is_layout(path: &Path) -> bool {
    path.join("oci-layout").is_file()
}
