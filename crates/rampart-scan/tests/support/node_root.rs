//! Fixture node roots for tests. Git keeps neither modes nor owners, so a fixture root is
//! copied into a temporary folder where every file gets `0644 root:root` and every folder
//! `0755 root:root`, and then the modes and owners its manifest lists: one line each,
//! `MODE UID:GID PATH` (`0600 0:0 etc/kubernetes/admin.conf`), `#` comments.

use std::os::unix::fs::{PermissionsExt, chown, symlink};
use std::path::Path;

/// The prepared copy of `source` with `manifest` applied, or `None` when this process may not
/// give files to root (tests that read owners then have nothing to check).
pub fn prepare(source: &Path, manifest: Option<&Path>) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().unwrap();
    if chown(dir.path(), Some(0), Some(0)).is_err() {
        eprintln!(
            "skipping {}: giving files to root needs root",
            source.display()
        );
        return None;
    }
    copy(source, dir.path());
    if let Some(manifest) = manifest {
        let text = std::fs::read_to_string(manifest)
            .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [mode, owner, path] = fields[..] else {
                panic!("{}: `{line}` is not MODE UID:GID PATH", manifest.display());
            };
            let mode = u32::from_str_radix(mode, 8).unwrap();
            let (uid, gid) = owner.split_once(':').unwrap();
            let target = dir.path().join(path);
            assert!(
                target.exists(),
                "{}: {path} does not exist",
                manifest.display()
            );
            set(&target, mode, uid.parse().unwrap(), gid.parse().unwrap());
        }
    }
    Some(dir)
}

fn set(path: &Path, mode: u32, uid: u32, gid: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    chown(path, Some(uid), Some(gid)).unwrap();
}

/// Copies files, folders and symlinks (as symlinks) with the default modes.
fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            symlink(std::fs::read_link(entry.path()).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            std::fs::create_dir(&target).unwrap();
            copy(&entry.path(), &target);
            set(&target, 0o755, 0, 0);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            set(&target, 0o644, 0, 0);
        }
    }
}
