use std::path::{Path, PathBuf};

use rampart_source::normalise;

/// `path` made absolute against the current folder, with `.` and `..` resolved by name (the
/// file need not exist): how configured paths and scanned paths are compared.
pub fn normalized(path: &Path) -> PathBuf {
    normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}
