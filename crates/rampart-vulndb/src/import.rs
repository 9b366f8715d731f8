//! Reading OSV records from folders of JSON and YAML files and from zip exports (OSV's
//! per-ecosystem `all.zip`), within explicit limits. A file that is not a usable record is an
//! error with its path; the rest is imported.

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::DbError;
use crate::limits::{ArchiveLimits, MAX_RECORD_BYTES};
use crate::osv::Record;

/// A file that could not be imported, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportError {
    /// The file, or `ARCHIVE!ENTRY` for an entry of a zip export.
    pub path: String,
    pub reason: String,
}

/// What reading a source gave.
#[derive(Debug, Default)]
pub struct Batch {
    pub records: Vec<Record>,
    pub errors: Vec<ImportError>,
}

enum Syntax {
    Json,
    Yaml,
}

fn syntax(name: &str) -> Option<Syntax> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        Some(Syntax::Json)
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some(Syntax::Yaml)
    } else {
        None
    }
}

fn parse(path: String, syntax: Syntax, bytes: &[u8]) -> Result<Record, ImportError> {
    let parsed = match syntax {
        Syntax::Json => Record::from_json(bytes),
        Syntax::Yaml => match std::str::from_utf8(bytes) {
            Ok(text) => Record::from_yaml(text),
            Err(_) => {
                return Err(ImportError {
                    path,
                    reason: "not UTF-8".to_owned(),
                });
            }
        },
    };
    parsed.map_err(|e| ImportError {
        path,
        reason: e.to_string(),
    })
}

impl Batch {
    fn push(&mut self, outcome: Result<Record, ImportError>) {
        match outcome {
            Ok(record) => self.records.push(record),
            Err(error) => self.errors.push(error),
        }
    }
}

/// Reads one source: a folder (every `.json`, `.yaml`, `.yml` and `.zip` under it), a zip
/// export, or one record file. A source that cannot be read at all is an error.
pub fn read_source(source: &Path, limits: &ArchiveLimits) -> Result<Batch, DbError> {
    let metadata = std::fs::metadata(source).map_err(|e| DbError::io(source, e))?;
    let mut read = Batch::default();
    if metadata.is_dir() {
        let mut files = Vec::new();
        walk(source, &mut files).map_err(|e| DbError::io(source, e))?;
        files.sort();
        let (zips, records): (Vec<PathBuf>, Vec<PathBuf>) = files
            .into_iter()
            .partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")));
        let outcomes: Vec<_> = records
            .par_iter()
            .filter_map(|path| Some((path, syntax(&path.to_string_lossy())?)))
            .map(|(path, syntax)| read_file(path, syntax))
            .collect();
        for outcome in outcomes {
            read.push(outcome);
        }
        for zip in zips {
            let file = std::fs::File::open(&zip).map_err(|e| DbError::io(&zip, e))?;
            read_zip(file, &zip.display().to_string(), limits, &mut read)?;
        }
    } else if source
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let file = std::fs::File::open(source).map_err(|e| DbError::io(source, e))?;
        read_zip(file, &source.display().to_string(), limits, &mut read)?;
    } else {
        let syntax = syntax(&source.to_string_lossy()).ok_or_else(|| DbError::Source {
            source_path: source.display().to_string(),
            reason: "neither a folder, a zip export, nor a .json/.yaml record".to_owned(),
        })?;
        read.push(read_file(source, syntax));
    }
    Ok(read)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}

fn read_file(path: &Path, syntax: Syntax) -> Result<Record, ImportError> {
    let shown = path.display().to_string();
    let failed = |reason: String| ImportError {
        path: shown.clone(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| failed(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(e.to_string()))?;
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err(failed(format!(
            "larger than {MAX_RECORD_BYTES} bytes, the limit of one record"
        )));
    }
    parse(shown.clone(), syntax, &bytes)
}

/// Reads the records of a zip export. An archive that breaks a limit is refused whole: it is
/// either not an OSV export or a hostile one.
pub fn read_zip<R: std::io::Read + Seek>(
    reader: R,
    origin: &str,
    limits: &ArchiveLimits,
    read: &mut Batch,
) -> Result<(), DbError> {
    let refuse = |reason: String| DbError::Source {
        source_path: origin.to_owned(),
        reason,
    };
    let mut archive =
        zip::ZipArchive::new(reader).map_err(|e| refuse(format!("not a zip archive: {e}")))?;
    if archive.len() > limits.max_entries {
        return Err(refuse(format!(
            "{} entries, more than the limit of {}",
            archive.len(),
            limits.max_entries
        )));
    }
    let mut total = 0u64;
    // Parsed in batches, in parallel, so that an export never sits in memory inflated whole.
    let mut batch: Vec<(String, Syntax, Vec<u8>)> = Vec::new();
    let flush = |batch: &mut Vec<(String, Syntax, Vec<u8>)>, read: &mut Batch| {
        let outcomes: Vec<_> = batch
            .par_drain(..)
            .map(|(path, syntax, bytes)| parse(path, syntax, &bytes))
            .collect();
        for outcome in outcomes {
            read.push(outcome);
        }
    };
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| refuse(format!("entry {i}: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| refuse(format!("entry {i}: {e}")))?
            .into_owned();
        let Some(syntax) = syntax(&name) else {
            continue;
        };
        let declared = entry.size();
        let compressed = entry.compressed_size().max(1);
        if declared > limits.max_entry_bytes {
            return Err(refuse(format!(
                "entry {name} inflates to {declared} bytes, more than the limit of {} for one record",
                limits.max_entry_bytes
            )));
        }
        if declared > 64 << 10 && declared / compressed > limits.max_ratio {
            return Err(refuse(format!(
                "entry {name} inflates {} times ({compressed} to {declared} bytes), more than the limit of {} times",
                declared / compressed,
                limits.max_ratio
            )));
        }
        // The sizes an archive declares can lie: the bytes read are counted too.
        let mut bytes = Vec::with_capacity(declared.min(limits.max_entry_bytes) as usize);
        entry
            .take(limits.max_entry_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(format!("entry {name}: {e}")))?;
        if bytes.len() as u64 > limits.max_entry_bytes {
            return Err(refuse(format!(
                "entry {name} inflates beyond the limit of {} bytes for one record",
                limits.max_entry_bytes
            )));
        }
        total += bytes.len() as u64;
        if total > limits.max_total_bytes {
            return Err(refuse(format!(
                "the entries inflate to more than the limit of {} bytes",
                limits.max_total_bytes
            )));
        }
        batch.push((format!("{origin}!{name}"), syntax, bytes));
        if batch.len() == 1024 {
            flush(&mut batch, read);
        }
    }
    flush(&mut batch, read);
    Ok(())
}
