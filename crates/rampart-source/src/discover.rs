use std::io::Read;
use std::path::{Path, PathBuf};

use rampart_core::ScanError;
use rayon::prelude::*;

use crate::Limits;
use crate::object::{Inventory, parse_text};

/// What the user asked to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Path(PathBuf),
    /// `-`: read one stream from standard input.
    Stdin,
}

impl Target {
    pub fn parse(arg: &str) -> Target {
        if arg == "-" {
            Target::Stdin
        } else {
            Target::Path(PathBuf::from(arg))
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub limits: Limits,
}

/// A scan that cannot start at all (exit code 2), as opposed to bad files inside it.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("reading standard input: {0}")]
    Stdin(std::io::Error),
}

/// Name extensions read when walking folders. Files named explicitly are read whatever their name.
const MANIFEST_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Reads every target, in parallel, into one inventory. Folders are walked recursively,
/// honouring `.gitignore` and `.rampartignore`.
pub fn load(targets: &[Target], options: &LoadOptions) -> Result<Inventory, LoadError> {
    let mut files = Vec::new();
    let mut walk_errors = Vec::new();
    let mut stdin_text = None;
    for target in targets {
        match target {
            Target::Stdin => {
                let mut text = String::new();
                std::io::stdin()
                    .take(options.limits.max_file_bytes + 1)
                    .read_to_string(&mut text)
                    .map_err(LoadError::Stdin)?;
                stdin_text = Some(text);
            }
            Target::Path(path) if path.is_dir() => {
                let (found, errors) = walk(path);
                files.extend(found);
                walk_errors.extend(errors);
            }
            // A symlink whose target is gone still `exists` as a name: report it when read.
            Target::Path(path) if path.exists() || path.is_symlink() => files.push(path.clone()),
            Target::Path(path) => return Err(LoadError::Missing(path.display().to_string())),
        }
    }
    files.sort();
    files.dedup();

    let parsed: Vec<_> = files
        .par_iter()
        .map(|path| read_and_parse(path, &options.limits))
        .collect();
    let mut inventory = Inventory {
        errors: walk_errors,
        ..Inventory::default()
    };
    if let Some(text) = stdin_text {
        parsed_into(&mut inventory, check_size("-", text, &options.limits));
    }
    for result in parsed {
        parsed_into(&mut inventory, result);
    }
    Ok(inventory)
}

type Parsed = Result<(Vec<crate::Object>, Vec<ScanError>), ScanError>;

fn parsed_into(inventory: &mut Inventory, parsed: Parsed) {
    inventory.files += 1;
    match parsed {
        Ok((objects, errors)) => {
            inventory.objects.extend(objects);
            inventory.errors.extend(errors);
        }
        Err(error) => inventory.errors.push(error),
    }
}

fn check_size(path: &str, text: String, limits: &Limits) -> Parsed {
    if text.len() as u64 > limits.max_file_bytes {
        return Err(too_large(path, limits));
    }
    Ok(parse_text(path, &text, limits))
}

fn too_large(path: &str, limits: &Limits) -> ScanError {
    ScanError {
        path: path.to_owned(),
        line: None,
        message: format!(
            "file is larger than the {} MiB limit; not scanned",
            limits.max_file_bytes / (1024 * 1024)
        ),
    }
}

fn read_and_parse(path: &Path, limits: &Limits) -> Parsed {
    let shown = display_path(path);
    let error = |message: String| ScanError {
        path: shown.clone(),
        line: None,
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| error(format!("cannot read: {e}")))?
        .len();
    if size > limits.max_file_bytes {
        return Err(too_large(&shown, limits));
    }
    let bytes = std::fs::read(path).map_err(|e| error(format!("cannot read: {e}")))?;
    if bytes.contains(&0) {
        return Err(error(
            "binary file (contains NUL bytes); not scanned".to_owned(),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32;
        ScanError {
            path: shown.clone(),
            line: Some(line),
            message: "not valid UTF-8; not scanned".to_owned(),
        }
    })?;
    check_size(&shown, text, limits)
}

/// The manifest files under `root`, and the entries that could not be walked (a dangling
/// symlink, an unreadable folder): those are reported, not skipped silently.
fn walk(root: &Path) -> (Vec<PathBuf>, Vec<ScanError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .add_custom_ignore_filename(".rampartignore")
        .require_git(false)
        .follow_links(true)
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                let is_manifest = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| MANIFEST_EXTENSIONS.contains(&e));
                if is_manifest && entry.file_type().is_some_and(|t| t.is_file()) {
                    files.push(entry.into_path());
                }
            }
            Err(error) => errors.push(walk_error(&error)),
        }
    }
    (files, errors)
}

fn walk_error(error: &ignore::Error) -> ScanError {
    let path = match error {
        ignore::Error::WithPath { path, .. } => display_path(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            return walk_error(err);
        }
        _ => String::new(),
    };
    ScanError {
        path,
        line: None,
        message: format!("cannot read: {error}"),
    }
}

/// Paths as the user would type them: relative, without a leading `./`.
fn display_path(path: &Path) -> String {
    let shown = path.display().to_string();
    shown.strip_prefix("./").map(str::to_owned).unwrap_or(shown)
}
