//! The merged layers of an image as a [`Files`] tree, so that what reads a node's or a package
//! database's files reads an image's too. Only the files the reader was asked to keep (see
//! `ReadOptions::capture`) have content.

use std::io;

use rampart_core::{FileInfo, FileKind, Files};

use crate::layer::normalise;
use crate::{Entry, EntryKind, FileSystem};

impl FileSystem<'_> {
    /// The visible entry at a tree path (`/etc/passwd`), a hard link standing for the file it
    /// links to.
    fn entry_at(&self, path: &str) -> Option<&Entry> {
        let entry = self.entry(self.get(path.trim_start_matches('/'))?);
        match (entry.kind, &entry.link) {
            (EntryKind::HardLink, Some(target)) => {
                Some(self.entry(self.get(&normalise(target).ok()?)?))
            }
            _ => Some(entry),
        }
    }
}

fn not_found() -> io::Error {
    io::ErrorKind::NotFound.into()
}

impl Files for FileSystem<'_> {
    fn metadata(&self, path: &str) -> io::Result<FileInfo> {
        let Some(entry) = self.entry_at(path) else {
            // Archives need not hold the folders of their files.
            let folder = !self.paths_under(path.trim_matches('/')).is_empty();
            return folder
                .then_some(FileInfo {
                    kind: FileKind::Directory,
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                    size: 0,
                })
                .ok_or_else(not_found);
        };
        let kind = match entry.kind {
            EntryKind::File | EntryKind::HardLink => FileKind::File,
            EntryKind::Directory => FileKind::Directory,
            EntryKind::Symlink => FileKind::Symlink,
            // Whiteouts are never visible: they take entries away.
            EntryKind::Device
            | EntryKind::Fifo
            | EntryKind::Whiteout
            | EntryKind::OpaqueDirectory => FileKind::Other,
        };
        Ok(FileInfo {
            kind,
            mode: entry.mode,
            uid: u32::try_from(entry.uid).unwrap_or(u32::MAX),
            gid: u32::try_from(entry.gid).unwrap_or(u32::MAX),
            size: entry.size,
        })
    }

    fn read(&self, path: &str, max_bytes: u64) -> io::Result<Vec<u8>> {
        let entry = self.entry_at(path).ok_or_else(not_found)?;
        if entry.kind == EntryKind::Directory {
            return Err(io::ErrorKind::IsADirectory.into());
        }
        if entry.size > max_bytes {
            return Err(io::ErrorKind::FileTooLarge.into());
        }
        match &entry.content {
            Some(content) if content.len() as u64 == entry.size => Ok(content.clone()),
            Some(_) => Err(io::Error::other("only the head of this file was kept")),
            None => Err(io::Error::other("the image reader did not keep this file")),
        }
    }

    fn list(&self, path: &str) -> io::Result<Vec<String>> {
        let folder = path.trim_matches('/');
        let skip = if folder.is_empty() {
            0
        } else {
            folder.len() + 1
        };
        let mut names: Vec<String> = self
            .paths_under(folder)
            .iter()
            .filter_map(|under| under[skip..].split('/').next())
            .map(str::to_owned)
            .collect();
        names.sort();
        names.dedup();
        if names.is_empty() && self.metadata(path)?.kind != FileKind::Directory {
            return Err(io::ErrorKind::NotADirectory.into());
        }
        Ok(names)
    }

    fn read_link(&self, path: &str) -> io::Result<String> {
        let id = self
            .get(path.trim_start_matches('/'))
            .ok_or_else(not_found)?;
        match self.entry(id) {
            Entry {
                kind: EntryKind::Symlink,
                link: Some(target),
                ..
            } => Ok(target.clone()),
            _ => Err(io::ErrorKind::InvalidInput.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use rampart_core::resolve;

    use super::*;
    use crate::build::{ImageSpec, write_layout};
    use crate::{Limits, ReadOptions, read_path};

    #[test]
    fn the_merged_layers_read_as_a_tree() {
        let spec = ImageSpec::parse(
            r#"
[[layers]]
files = [
  { path = "usr/lib/os-release", content = "ID=alpine\n" },
  { path = "etc/os-release", type = "symlink", target = "../usr/lib/os-release" },
  { path = "etc/shadow", mode = 0o640, uid = 0, gid = 42, content = "root:*:1::::::\n" },
  { path = "etc/motd", content = "welcome\n" },
  { path = "bin/busybox", mode = 0o755, size = 100 },
  { path = "bin/sh", type = "hardlink", target = "bin/busybox" },
]
[[layers]]
files = [{ path = "etc/.wh.motd" }]
"#,
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        write_layout(&spec, dir.path()).unwrap();
        let options = ReadOptions {
            limits: &Limits::default(),
            platform: None,
            capture: &|path: &str| path.starts_with("etc/") || path.starts_with("usr/"),
        };
        let image = read_path(dir.path(), &options).unwrap().remove(0);
        let files = FileSystem::of(&image.layers);
        // Folders the archive does not list are there all the same.
        assert_eq!(files.list("/").unwrap(), ["bin", "etc", "usr"]);
        assert_eq!(files.list("/etc").unwrap(), ["os-release", "shadow"]);
        assert_eq!(files.metadata("/usr").unwrap().kind, FileKind::Directory);
        let real = resolve(&files, "/etc/os-release");
        assert_eq!(real, "/usr/lib/os-release");
        assert_eq!(files.read(&real, 100).unwrap(), b"ID=alpine\n");
        let shadow = files.metadata("/etc/shadow").unwrap();
        assert_eq!((shadow.mode, shadow.gid), (0o640, 42));
        let sh = files.metadata("/bin/sh").unwrap();
        assert_eq!((sh.kind, sh.size), (FileKind::File, 100));
        let kind = |e: io::Error| e.kind();
        assert_eq!(
            files.metadata("/etc/motd").map_err(kind),
            Err(io::ErrorKind::NotFound)
        );
        assert_eq!(
            files.read("/etc/shadow", 4).map_err(kind),
            Err(io::ErrorKind::FileTooLarge)
        );
        // Not captured: its content was never kept.
        assert!(files.read("/bin/busybox", 1000).is_err());
    }
}
