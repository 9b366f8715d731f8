//! `kubectl kustomize` without kubectl: `cargo run -p rampart-render --example kustomize_build
//! -- DIR` prints the built stream. The files are read from this machine (`rampart render DIR`
//! does the same through the scan's file access).

use std::io;
use std::os::unix::fs::MetadataExt;

use rampart_core::{FileInfo, FileKind, Files};
use rampart_render::kustomize;

/// This machine's files under their absolute paths.
struct Host;

impl Files for Host {
    fn metadata(&self, path: &str) -> io::Result<FileInfo> {
        let m = std::fs::symlink_metadata(path)?;
        let kind = match m.file_type() {
            t if t.is_dir() => FileKind::Directory,
            t if t.is_file() => FileKind::File,
            t if t.is_symlink() => FileKind::Symlink,
            _ => FileKind::Other,
        };
        Ok(FileInfo {
            kind,
            mode: m.mode() & 0o7777,
            uid: m.uid(),
            gid: m.gid(),
            size: m.len(),
        })
    }

    fn read(&self, path: &str, max_bytes: u64) -> io::Result<Vec<u8>> {
        if std::fs::metadata(path)?.len() > max_bytes {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                path.to_string(),
            ));
        }
        std::fs::read(path)
    }

    fn list(&self, path: &str) -> io::Result<Vec<String>> {
        std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect()
    }

    fn read_link(&self, path: &str) -> io::Result<String> {
        Ok(std::fs::read_link(path)?.to_string_lossy().into_owned())
    }
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: kustomize_build DIR");
        std::process::exit(2);
    };
    let dir = match std::path::absolute(&dir) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(2);
        }
    };
    match kustomize::build(&Host, &dir.to_string_lossy()) {
        Ok(rendered) => print!("{}", kustomize::stream(&rendered)),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
