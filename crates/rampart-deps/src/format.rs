//! Lockfiles as an input format of a scan: found by name, read into [`Package`] items of the
//! inventory, their problems reported with path and line.

use std::collections::BTreeSet;
use std::path::Path;

use rampart_core::{Diagnostic, Files};
use rampart_source::{Found, HostFiles, InputFormat, Parsed, SourceFile};

use crate::{Lockfile, Package, Reading};

/// The lockfiles and manifests of every ecosystem rampart knows ([`Lockfile::of_name`]).
pub struct Lockfiles;

/// How deep `-r` includes are followed.
const MAX_INCLUDE_DEPTH: usize = 8;

impl InputFormat for Lockfiles {
    fn name(&self) -> &'static str {
        "lockfiles"
    }

    fn claims(&self, path: &Path, found: Found) -> bool {
        found == Found::InFolder
            && path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(Lockfile::of_name)
                .is_some()
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        let Some(kind) = file
            .path
            .and_then(Path::file_name)
            .and_then(|name| name.to_str())
            .and_then(Lockfile::of_name)
        else {
            return;
        };
        let folder = file.path.and_then(Path::parent);
        // Since Go 1.17 go.mod requires every module the build uses; go.sum also holds
        // versions the build only considered, so it speaks only where go.mod is missing.
        if kind == Lockfile::GoSum
            && folder.is_some_and(|folder| HostFiles::new(folder).metadata("/go.mod").is_ok())
        {
            return;
        }
        let reading = kind.read(file.shown, file.text);
        let mut included = BTreeSet::new();
        add(reading, folder, file, &mut included, 0, into);
    }
}

/// Adds what a reading found, and reads the files it includes that the scan would not read
/// on its own (`-r base.in`; a `requirements*.txt` beside it is read as any other).
fn add(
    reading: Reading,
    folder: Option<&Path>,
    file: &SourceFile<'_>,
    included: &mut BTreeSet<String>,
    depth: usize,
    into: &mut Parsed,
) {
    let shown_folder = Path::new(&*reading.path)
        .parent()
        .map(|parent| parent.to_string_lossy().into_owned())
        .unwrap_or_default();
    for problem in &reading.problems {
        into.error(Diagnostic::error(
            reading.path.to_string(),
            problem.line,
            problem.message.clone(),
        ));
    }
    into.extend::<Package>(reading.packages);
    let Some(folder) = folder else {
        return;
    };
    let host = HostFiles::new(folder);
    for include in reading.includes {
        let name = Path::new(&include).file_name().and_then(|n| n.to_str());
        if name.and_then(Lockfile::of_name).is_some() {
            continue;
        }
        let shown = if shown_folder.is_empty() {
            include.clone()
        } else {
            format!("{shown_folder}/{include}")
        };
        if depth == MAX_INCLUDE_DEPTH || !included.insert(shown.clone()) {
            continue;
        }
        let text = host
            .read(&include, file.limits.max_file_bytes)
            .map_err(|error| error.to_string())
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "not UTF-8".to_owned()));
        match text {
            Ok(text) => {
                let reading = Lockfile::Requirements.read(&shown, &text);
                let next = folder.join(&include);
                add(reading, next.parent(), file, included, depth + 1, into);
            }
            Err(error) => into.error(Diagnostic::error(
                file.shown.to_owned(),
                None,
                format!("cannot read `{include}`, which it includes: {error}"),
            )),
        }
    }
}
