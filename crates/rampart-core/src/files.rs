//! A read-only view of a file tree: a node's root folder, an image's merged layers, or one held
//! in memory. What reads a node's configuration (and, to come, package databases) takes any of
//! them. Nothing here touches a disk: `rampart-source` implements [`Files`] for the host.

use std::collections::BTreeMap;
use std::io;

/// What kind of entry a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    File,
    Directory,
    Symlink,
    /// A device, a pipe or a socket.
    Other,
}

/// What [`Files::metadata`] tells of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileInfo {
    pub kind: FileKind,
    /// Permission bits with setuid (0o4000), setgid (0o2000) and sticky (0o1000).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
}

/// A read-only file tree. Paths are absolute within the tree (`/etc/passwd`) and never leave
/// it. [`Files::metadata`] and [`Files::read_link`] tell of a symbolic link itself; give the
/// other methods paths that [`resolve`] has followed links in.
pub trait Files: Sync {
    /// What is at `path`; an error of kind `NotFound` when nothing is.
    fn metadata(&self, path: &str) -> io::Result<FileInfo>;

    /// The content of the file at `path`; an error of kind `FileTooLarge` when it holds more
    /// than `max_bytes`.
    fn read(&self, path: &str, max_bytes: u64) -> io::Result<Vec<u8>>;

    /// The names of the entries of the folder at `path`, in no particular order.
    fn list(&self, path: &str) -> io::Result<Vec<String>>;

    /// The target of the symbolic link at `path`, as written.
    fn read_link(&self, path: &str) -> io::Result<String>;
}

/// How many links [`resolve`] follows before it gives up, as the kernel does.
const MAX_LINKS: usize = 40;

/// `path` with every symbolic link in it followed inside `files`: an absolute target starts
/// again at the tree's root and `..` stops there, so that a link in a mounted node or an image
/// never leads to the scanning machine's own files. What does not exist is kept as written.
pub fn resolve(files: &(impl Files + ?Sized), path: &str) -> String {
    let mut pending: Vec<String> = path.split('/').rev().map(str::to_owned).collect();
    let mut done: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(part) = pending.pop() {
        match part.as_str() {
            "" | "." => continue,
            ".." => {
                done.pop();
                continue;
            }
            _ => done.push(part),
        }
        if links == MAX_LINKS {
            continue;
        }
        let Ok(target) = files.read_link(&joined(&done)) else {
            continue;
        };
        links += 1;
        done.pop();
        if target.starts_with('/') {
            done.clear();
        }
        pending.extend(target.split('/').rev().map(str::to_owned));
    }
    joined(&done)
}

fn joined(parts: &[String]) -> String {
    format!("/{}", parts.join("/"))
}

/// A file tree held in memory: for tests, and for files that arrive as bytes.
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles {
    entries: BTreeMap<String, MemoryEntry>,
}

#[derive(Debug, Clone)]
struct MemoryEntry {
    info: FileInfo,
    content: Vec<u8>,
    link: Option<String>,
}

impl MemoryFiles {
    pub fn new() -> MemoryFiles {
        MemoryFiles::default()
    }

    /// Adds a file of mode 0644 owned by root, with the folders above it.
    pub fn file(&mut self, path: &str, content: impl Into<Vec<u8>>) -> &mut MemoryFiles {
        let content = content.into();
        let info = FileInfo {
            kind: FileKind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: content.len() as u64,
        };
        self.add(path, info, content, None)
    }

    /// Adds a symbolic link to `target`, with the folders above it.
    pub fn symlink(&mut self, path: &str, target: &str) -> &mut MemoryFiles {
        let info = FileInfo {
            kind: FileKind::Symlink,
            mode: 0o777,
            uid: 0,
            gid: 0,
            size: target.len() as u64,
        };
        self.add(path, info, Vec::new(), Some(target.to_owned()))
    }

    /// Removes what is at `path`, and everything under it.
    pub fn remove(&mut self, path: &str) -> &mut MemoryFiles {
        let path = key(path);
        let under = format!("{path}/");
        self.entries
            .retain(|entry, _| *entry != path && !entry.starts_with(&under));
        self
    }

    fn add(
        &mut self,
        path: &str,
        info: FileInfo,
        content: Vec<u8>,
        link: Option<String>,
    ) -> &mut MemoryFiles {
        let path = key(path);
        let mut folder = path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            folder = parent;
            let directory = FileInfo {
                kind: FileKind::Directory,
                mode: 0o755,
                uid: 0,
                gid: 0,
                size: 0,
            };
            let entry = MemoryEntry {
                info: directory,
                content: Vec::new(),
                link: None,
            };
            self.entries.entry(key(folder)).or_insert(entry);
        }
        let entry = MemoryEntry {
            info,
            content,
            link,
        };
        self.entries.insert(path, entry);
        self
    }

    fn entry(&self, path: &str) -> io::Result<&MemoryEntry> {
        self.entries
            .get(&key(path))
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

/// `/a/b` for `a/b/`, `/a/./b` and `/a//b`: how entries are keyed; `/` is the empty key's
/// folder, `""`.
fn key(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("/{}", parts.join("/"))
    }
}

impl Files for MemoryFiles {
    fn metadata(&self, path: &str) -> io::Result<FileInfo> {
        if key(path).is_empty() {
            return Ok(FileInfo {
                kind: FileKind::Directory,
                mode: 0o755,
                uid: 0,
                gid: 0,
                size: 0,
            });
        }
        Ok(self.entry(path)?.info)
    }

    fn read(&self, path: &str, max_bytes: u64) -> io::Result<Vec<u8>> {
        let entry = self.entry(path)?;
        match entry.info.kind {
            FileKind::Directory => Err(io::ErrorKind::IsADirectory.into()),
            _ if entry.info.size > max_bytes => Err(io::ErrorKind::FileTooLarge.into()),
            _ => Ok(entry.content.clone()),
        }
    }

    fn list(&self, path: &str) -> io::Result<Vec<String>> {
        let folder = key(path);
        if !folder.is_empty() && self.entry(&folder)?.info.kind != FileKind::Directory {
            return Err(io::ErrorKind::NotADirectory.into());
        }
        let prefix = format!("{folder}/");
        Ok(self
            .entries
            .range(prefix.clone()..)
            .take_while(|(entry, _)| entry.starts_with(&prefix))
            .filter_map(|(entry, _)| {
                let name = &entry[prefix.len()..];
                (!name.contains('/')).then(|| name.to_owned())
            })
            .collect())
    }

    fn read_link(&self, path: &str) -> io::Result<String> {
        self.entry(path)?
            .link
            .clone()
            .ok_or_else(|| io::ErrorKind::InvalidInput.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_inside_the_tree() {
        let mut files = MemoryFiles::new();
        files
            .file("/usr/lib/os-release", "ID=debian\n")
            .symlink("/etc/os-release", "../usr/lib/os-release")
            .symlink("/lib", "usr/lib")
            .symlink("/etc/escape", "/../../../etc/shadow")
            .symlink("/loop", "/loop");
        assert_eq!(resolve(&files, "/etc/os-release"), "/usr/lib/os-release");
        assert_eq!(resolve(&files, "/lib/os-release"), "/usr/lib/os-release");
        assert_eq!(
            resolve(&files, "/etc/./x/../os-release"),
            "/usr/lib/os-release"
        );
        assert_eq!(resolve(&files, "/../../etc/escape"), "/etc/shadow");
        assert_eq!(resolve(&files, "/missing/file"), "/missing/file");
        assert_eq!(resolve(&files, "/loop"), "/loop");
        assert_eq!(resolve(&files, "/"), "/");
    }

    #[test]
    fn a_memory_tree_lists_reads_and_caps() {
        let mut files = MemoryFiles::new();
        files.file("/etc/kubernetes/admin.conf", "x".repeat(10));
        assert_eq!(files.list("/etc").unwrap(), ["kubernetes"]);
        assert_eq!(files.list("/").unwrap(), ["etc"]);
        let info = files.metadata("/etc/kubernetes/admin.conf").unwrap();
        assert_eq!(
            (info.kind, info.mode, info.size),
            (FileKind::File, 0o644, 10)
        );
        assert_eq!(files.metadata("/etc").unwrap().kind, FileKind::Directory);
        assert_eq!(
            files.read("/etc/kubernetes/admin.conf", 10).unwrap().len(),
            10
        );
        let kind = |e: io::Error| e.kind();
        assert_eq!(
            files.read("/etc/kubernetes/admin.conf", 9).map_err(kind),
            Err(io::ErrorKind::FileTooLarge)
        );
        assert_eq!(
            files.metadata("/etc/missing").map_err(kind),
            Err(io::ErrorKind::NotFound)
        );
        files.remove("/etc/kubernetes");
        assert!(files.list("/etc").unwrap().is_empty());
    }
}
