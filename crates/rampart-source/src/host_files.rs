//! The host's files under a root folder, as a [`Files`] tree: `/` of the tree is the root.

use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rampart_core::{FileInfo, FileKind, Files};

/// The files under a folder of this machine (`/` for the machine itself, `/host` for a node's
/// file system mounted there).
#[derive(Debug, Clone)]
pub struct HostFiles {
    root: PathBuf,
}

impl HostFiles {
    pub fn new(root: &Path) -> HostFiles {
        HostFiles {
            root: root.to_owned(),
        }
    }

    /// How paths of the tree are shown: the root as given, without `./` in front or `/` at
    /// the end (empty for `/`), then the path (`/host/etc/kubernetes`).
    pub fn shown_root(&self) -> String {
        match self.root.to_string_lossy().trim_end_matches('/') {
            "" => String::new(),
            shown => shown.strip_prefix("./").unwrap_or(shown).to_owned(),
        }
    }

    fn host(&self, path: &str) -> PathBuf {
        self.root.join(path.trim_start_matches('/'))
    }
}

impl Files for HostFiles {
    fn metadata(&self, path: &str) -> io::Result<FileInfo> {
        let meta = fs::symlink_metadata(self.host(path))?;
        let kind = if meta.is_dir() {
            FileKind::Directory
        } else if meta.is_file() {
            FileKind::File
        } else if meta.is_symlink() {
            FileKind::Symlink
        } else {
            FileKind::Other
        };
        Ok(FileInfo {
            kind,
            mode: meta.mode() & 0o7777,
            uid: meta.uid(),
            gid: meta.gid(),
            size: meta.len(),
        })
    }

    fn read(&self, path: &str, max_bytes: u64) -> io::Result<Vec<u8>> {
        let file = fs::File::open(self.host(path))?;
        let too_large = || io::Error::from(io::ErrorKind::FileTooLarge);
        if file.metadata()?.len() > max_bytes {
            return Err(too_large());
        }
        // Files of /proc say they are empty: read up to the cap, whatever the size says.
        let mut bytes = Vec::new();
        file.take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > max_bytes {
            return Err(too_large());
        }
        Ok(bytes)
    }

    fn list(&self, path: &str) -> io::Result<Vec<String>> {
        Ok(fs::read_dir(self.host(path))?
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect())
    }

    fn read_link(&self, path: &str) -> io::Result<String> {
        Ok(fs::read_link(self.host(path))?
            .to_string_lossy()
            .into_owned())
    }
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;

    use rampart_core::resolve;

    use super::*;

    #[test]
    fn links_stay_inside_the_root_and_reads_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("usr/lib")).unwrap();
        fs::write(root.join("usr/lib/os-release"), "ID=debian\n").unwrap();
        fs::create_dir(root.join("etc")).unwrap();
        let link = |target: &str, path: &str| std::os::unix::fs::symlink(target, root.join(path));
        link("../usr/lib/os-release", "etc/os-release").unwrap();
        link("/usr/lib", "lib").unwrap();
        // The host's own /etc, were the link followed outside the root.
        link("/etc", "host-etc").unwrap();
        let files = HostFiles::new(root);
        assert_eq!(resolve(&files, "/etc/os-release"), "/usr/lib/os-release");
        assert_eq!(resolve(&files, "/lib/os-release"), "/usr/lib/os-release");
        assert_eq!(
            resolve(&files, "/host-etc/os-release"),
            "/usr/lib/os-release"
        );
        assert_eq!(files.metadata("/lib").unwrap().kind, FileKind::Symlink);
        assert_eq!(
            files.metadata("/usr/lib").unwrap().kind,
            FileKind::Directory
        );
        let mut names = files.list("/").unwrap();
        names.sort();
        assert_eq!(names, ["etc", "host-etc", "lib", "usr"]);
        assert_eq!(
            files.read("/usr/lib/os-release", 10).unwrap(),
            b"ID=debian\n"
        );
        let kind = |e: io::Error| e.kind();
        assert_eq!(
            files.read("/usr/lib/os-release", 9).map_err(kind),
            Err(ErrorKind::FileTooLarge)
        );
        assert_eq!(
            files.read("/missing", 9).map_err(kind),
            Err(ErrorKind::NotFound)
        );
    }

    #[test]
    fn paths_are_shown_after_the_root_as_given() {
        let shown = |root: &str| HostFiles::new(Path::new(root)).shown_root();
        assert_eq!(shown("/"), "");
        assert_eq!(shown("./node/"), "node");
        assert_eq!(shown("/host"), "/host");
    }
}
