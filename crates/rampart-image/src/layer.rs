//! Streams one layer blob: decompression chosen by magic bytes, tar entries read as they come
//! by, their metadata kept, digest and size checked at the end. Nothing is written to disk.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::digest::HashingReader;
use crate::error::LimitKind;
use crate::model::{Entry, EntryKind, Problem};
use crate::{Digest, ImageError, Limits};

/// What all layers of one image may still expand to, shared by the threads reading them.
pub(crate) struct Budget<'a> {
    limits: &'a Limits,
    expanded: AtomicU64,
    entries: AtomicU64,
    /// Set when a reader stopped on the expanded-size cap (the tar reader only sees an I/O
    /// error).
    expanded_exceeded: AtomicBool,
}

impl<'a> Budget<'a> {
    pub(crate) fn new(limits: &'a Limits) -> Budget<'a> {
        Budget {
            limits,
            expanded: AtomicU64::new(0),
            entries: AtomicU64::new(0),
            expanded_exceeded: AtomicBool::new(false),
        }
    }
}

/// Counts decompressed bytes against the budget and fails the read past the cap.
struct Counted<'b, 'a, R> {
    inner: R,
    budget: &'b Budget<'a>,
}

impl<R: Read> Read for Counted<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        let total = self
            .budget
            .expanded
            .fetch_add(read as u64, Ordering::Relaxed)
            + read as u64;
        if total > self.budget.limits.max_expanded_bytes {
            self.budget.expanded_exceeded.store(true, Ordering::Relaxed);
            return Err(io::Error::other("expanded-size cap reached"));
        }
        Ok(read)
    }
}

/// How a layer blob is compressed, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

fn sniff(head: &[u8]) -> Compression {
    if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// The entries of one layer, and the entries refused.
pub(crate) struct LayerListing {
    pub(crate) entries: Vec<Entry>,
    pub(crate) problems: Vec<Problem>,
}

/// Reads layer `index` from `raw` (the blob as stored), checking it against `digest` and
/// `size` when given. `what` names the blob in errors.
pub(crate) fn read_layer(
    raw: impl Read,
    index: usize,
    what: &str,
    digest: Option<&Digest>,
    size: Option<u64>,
    budget: &Budget<'_>,
    capture: &(dyn Fn(&str) -> bool + Sync),
) -> Result<LayerListing, ImageError> {
    let mut hashing = HashingReader::new(raw);
    let listing = {
        let mut buffered = BufReader::with_capacity(64 * 1024, &mut hashing);
        let head = buffered.fill_buf().map_err(|e| ImageError::io(what, e))?;
        let compression = sniff(head);
        let decompressed: Box<dyn Read + '_> = match compression {
            Compression::None => Box::new(buffered),
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            Compression::Zstd => Box::new(
                zstd::stream::read::Decoder::with_buffer(buffered)
                    .map_err(|e| ImageError::io(what, e))?,
            ),
        };
        let counted = Counted {
            inner: decompressed,
            budget,
        };
        let failed = |e: io::Error| {
            if budget.expanded_exceeded.load(Ordering::Relaxed) {
                ImageError::Limit {
                    what: what.to_owned(),
                    limit: LimitKind::ExpandedBytes(budget.limits.max_expanded_bytes),
                }
            } else {
                let stream = match compression {
                    Compression::None => "tar stream",
                    Compression::Gzip => "gzip stream",
                    Compression::Zstd => "zstd stream",
                };
                ImageError::invalid(what, format!("corrupt or truncated {stream}: {e}"))
            }
        };
        let mut archive = tar::Archive::new(counted);
        let listing = list_entries(&mut archive, index, what, budget, capture, &failed)?;
        // The end of the tar is not the end of the stream: read the rest so the compression
        // trailer is checked and every byte is hashed.
        io::copy(&mut archive.into_inner(), &mut io::sink()).map_err(failed)?;
        listing
    };
    hashing.verify(what, digest, size)?;
    Ok(listing)
}

fn list_entries<R: Read>(
    archive: &mut tar::Archive<R>,
    layer: usize,
    what: &str,
    budget: &Budget<'_>,
    capture: &(dyn Fn(&str) -> bool + Sync),
    failed: &dyn Fn(io::Error) -> ImageError,
) -> Result<LayerListing, ImageError> {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for entry in archive.entries().map_err(failed)? {
        let mut entry = entry.map_err(failed)?;
        let count = budget.entries.fetch_add(1, Ordering::Relaxed) + 1;
        if count > budget.limits.max_entries {
            return Err(ImageError::Limit {
                what: what.to_owned(),
                limit: LimitKind::Entries(budget.limits.max_entries),
            });
        }
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let mut refuse = |reason: String| {
            problems.push(Problem {
                layer,
                entry: raw_path.clone(),
                reason,
            });
        };
        let path = match normalise(&raw_path) {
            Ok(path) => path,
            Err(reason) => {
                refuse(reason);
                continue;
            }
        };
        let header = entry.header();
        let kind = match header.entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                EntryKind::File
            }
            tar::EntryType::Directory => EntryKind::Directory,
            tar::EntryType::Symlink => EntryKind::Symlink,
            tar::EntryType::Link => EntryKind::HardLink,
            tar::EntryType::Char | tar::EntryType::Block => EntryKind::Device,
            tar::EntryType::Fifo => EntryKind::Fifo,
            _ => continue,
        };
        let mode = header
            .mode()
            .map_err(|e| ImageError::invalid(what, format!("entry {raw_path}: {e}")))?;
        let uid = header.uid().unwrap_or(0);
        let gid = header.gid().unwrap_or(0);
        let link = entry
            .link_name_bytes()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
        let (path, kind) = match whiteout(&path) {
            Some(Whiteout::Deletes(target)) => (target, EntryKind::Whiteout),
            Some(Whiteout::Opaque(folder)) => (folder, EntryKind::OpaqueDirectory),
            // Other `.wh..wh.` names are AUFS bookkeeping, not files.
            Some(Whiteout::Metadata) => continue,
            None => (path, kind),
        };
        if path.is_empty() && kind != EntryKind::OpaqueDirectory {
            // The root folder itself.
            continue;
        }
        if let Some(target) = &link {
            let escapes = match kind {
                EntryKind::HardLink => normalise(target).err(),
                EntryKind::Symlink => symlink_escapes(&path, target),
                _ => None,
            };
            if let Some(reason) = escapes {
                refuse(format!("link to `{target}` {reason}; not followed"));
                continue;
            }
        }
        let size = entry.size();
        let content = if kind == EntryKind::File && capture(&path) {
            let mut head = Vec::new();
            (&mut entry)
                .take(budget.limits.max_captured_bytes)
                .read_to_end(&mut head)
                .map_err(failed)?;
            Some(head)
        } else {
            None
        };
        entries.push(Entry {
            path,
            kind,
            mode,
            uid,
            gid,
            size,
            link,
            content,
        });
    }
    Ok(LayerListing { entries, problems })
}

/// A tar entry name as a path relative to the image root: `./a//b/` is `a/b`. Absolute names
/// and `..` are refused: extracting them would write outside the root.
pub(crate) fn normalise(raw: &str) -> Result<String, String> {
    if raw.starts_with('/') {
        return Err("absolute path; refused".to_owned());
    }
    let mut parts = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("`..` would leave the image root; refused".to_owned()),
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// Whether a relative symlink at `path` climbs above the image root. Absolute targets are
/// resolved inside the container's root by the runtime, so they stay in.
fn symlink_escapes(path: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut depth = path.split('/').count().saturating_sub(1);
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." if depth == 0 => return Some("points outside the image root".to_owned()),
            ".." => depth -= 1,
            _ => depth += 1,
        }
    }
    None
}

enum Whiteout {
    Deletes(String),
    Opaque(String),
    Metadata,
}

fn whiteout(path: &str) -> Option<Whiteout> {
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (folder, name),
        None => ("", path),
    };
    let deleted = name.strip_prefix(".wh.")?;
    Some(if deleted == ".wh..opq" {
        Whiteout::Opaque(folder.to_owned())
    } else if deleted.starts_with(".wh.") {
        Whiteout::Metadata
    } else if folder.is_empty() {
        Whiteout::Deletes(deleted.to_owned())
    } else {
        Whiteout::Deletes(format!("{folder}/{deleted}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_normalise_and_unsafe_ones_are_refused() {
        assert_eq!(normalise("./usr//bin/").unwrap(), "usr/bin");
        assert_eq!(normalise("./").unwrap(), "");
        assert!(normalise("/etc/passwd").is_err());
        assert!(normalise("a/../../etc/passwd").is_err());
        assert!(normalise("a/..").is_err());
    }

    #[test]
    fn symlinks_climbing_out_of_the_root_are_caught() {
        assert_eq!(symlink_escapes("usr/bin/sh", "../../bin/busybox"), None);
        assert_eq!(
            symlink_escapes("etc/localtime", "/usr/share/zoneinfo/UTC"),
            None
        );
        assert!(symlink_escapes("usr/bin/sh", "../../../etc/shadow").is_some());
        assert!(symlink_escapes("top", "..").is_some());
        assert_eq!(symlink_escapes("a/b", "c/../../d"), None);
    }

    #[test]
    fn whiteout_names() {
        assert!(
            matches!(whiteout("etc/.wh.shadow"), Some(Whiteout::Deletes(p)) if p == "etc/shadow")
        );
        assert!(matches!(whiteout(".wh.root"), Some(Whiteout::Deletes(p)) if p == "root"));
        assert!(matches!(whiteout("app/.wh..wh..opq"), Some(Whiteout::Opaque(p)) if p == "app"));
        assert!(matches!(whiteout(".wh..wh.plnk"), Some(Whiteout::Metadata)));
        assert!(whiteout("etc/wh.x").is_none());
    }

    #[test]
    fn compression_by_magic_bytes() {
        assert_eq!(sniff(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(sniff(&[0x28, 0xb5, 0x2f, 0xfd, 0]), Compression::Zstd);
        assert_eq!(sniff(b"usr/"), Compression::None);
    }
}
