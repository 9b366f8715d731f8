//! rampart's offline vulnerability database: OSV advisories imported from folders and
//! exports ([`import`]), downloaded only when asked ([`update`]), stored in a compact file that
//! opens fast ([`store`]), and matched against packages exactly as OSV defines ranges
//! ([`affected`]), in each ecosystem's version order (`rampart_version`).
//!
//! Nothing here touches the network except [`update::download`].

pub mod affected;
pub mod import;
pub mod limits;
mod matching;
pub mod meta;
pub mod osv;
pub mod severity;
pub mod store;
pub mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use limits::ArchiveLimits;
pub use matching::{Advisory, PackageReport, Query, Vulnerability, check_records};
pub use meta::{Meta, Source};

use crate::import::ImportError;
use crate::osv::Record;
use crate::store::Store;

/// Why the database could not be read, written or filled.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{}: {reason}", path.display())]
    Io { path: PathBuf, reason: String },
    #[error("{}: the database is damaged: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("no vulnerability database in {}: create one with `rampart db import --db {} SRC...` or `rampart db update`", path.display(), path.display())]
    Missing { path: PathBuf },
    #[error("{source_path}: {reason}")]
    Source { source_path: String, reason: String },
    #[error("{url}: {reason}")]
    Download { url: String, reason: String },
}

impl DbError {
    pub(crate) fn io(path: &Path, error: std::io::Error) -> DbError {
        DbError::Io {
            path: path.to_owned(),
            reason: error.to_string(),
        }
    }
}

/// Where the database lives when no `--db` is given: `rampart/db` in the user's cache folder
/// (`$XDG_CACHE_HOME`, else `~/.cache`; `~/Library/Caches` on macOS).
pub fn default_dir() -> Option<PathBuf> {
    let cache = match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => {
            let home = PathBuf::from(std::env::var_os("HOME")?);
            if cfg!(target_os = "macos") {
                home.join("Library/Caches")
            } else {
                home.join(".cache")
            }
        }
    };
    Some(cache.join("rampart").join("db"))
}

/// An open database.
pub struct Database {
    store: Store,
    /// Advisories already read and parsed, by record number: a scan meets the same package
    /// (and records shared by several packages) many times, and reading one means inflating,
    /// deserializing and parsing every version it names. Holds the records the scan's
    /// packages name, not the database.
    prepared: Mutex<HashMap<u32, Arc<Advisory>>>,
    pub meta: Meta,
    pub dir: PathBuf,
}

impl Database {
    pub fn open(dir: &Path) -> Result<Database, DbError> {
        if !dir.join(store::FILE).exists() {
            return Err(DbError::Missing {
                path: dir.to_owned(),
            });
        }
        Ok(Database {
            store: Store::open(dir)?,
            prepared: Mutex::default(),
            meta: Meta::read(dir)?,
            dir: dir.to_owned(),
        })
    }

    /// The vulnerabilities of one package.
    pub fn check(&self, query: &Query<'_>) -> Result<PackageReport, DbError> {
        let key = store::key(query.ecosystem, query.lookup_name());
        let advisories = self
            .store
            .postings(&key)
            .iter()
            .map(|&n| self.advisory(n))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(check_records(&advisories, query))
    }

    fn advisory(&self, n: u32) -> Result<Arc<Advisory>, DbError> {
        if let Some(advisory) = store::lock(&self.prepared).get(&n) {
            return Ok(advisory.clone());
        }
        let advisory = Arc::new(Advisory::new(self.store.record(n as usize)?));
        store::lock(&self.prepared).insert(n, advisory.clone());
        Ok(advisory)
    }

    pub fn counts(&self) -> (usize, usize) {
        self.store.counts()
    }
}

/// What an import did.
#[derive(Debug, Default, serde::Serialize)]
pub struct ImportReport {
    /// Records read from the sources.
    pub read: usize,
    /// Of those, records new to the database, and records that replaced an older version.
    pub added: usize,
    pub replaced: usize,
    /// Records in the database afterwards.
    pub records: usize,
    pub errors: Vec<ImportError>,
}

/// A source to import: a path, or bytes downloaded from a URL (a zip export).
pub enum Input<'a> {
    Path(&'a Path),
    Zip { url: &'a str, bytes: Vec<u8> },
}

/// Adds the records of `inputs` to the database in `dir` (created if absent). A record whose
/// id is already there replaces it when it is at least as recent (`modified`). Either every
/// source is read and the database replaced, or (a source unreadable, an archive refused)
/// nothing changes.
pub fn import(
    dir: &Path,
    inputs: Vec<Input<'_>>,
    limits: &ArchiveLimits,
) -> Result<ImportReport, DbError> {
    let mut meta = if dir.join(meta::FILE).exists() {
        Meta::read(dir)?
    } else {
        Meta::default()
    };
    let mut by_id: HashMap<String, Record> = if dir.join(store::FILE).exists() {
        Store::open(dir)?
            .all()?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect()
    } else {
        HashMap::new()
    };
    let mut report = ImportReport::default();
    let now = meta::now();
    for input in inputs {
        let (origin, read) = match input {
            Input::Path(path) => (
                path.display().to_string(),
                import::read_source(path, limits)?,
            ),
            Input::Zip { url, bytes } => {
                let mut read = import::Batch::default();
                import::read_zip(std::io::Cursor::new(bytes), url, limits, &mut read)?;
                (url.to_owned(), read)
            }
        };
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for record in &read.records {
            let mut ecosystems: Vec<&str> = record
                .affected
                .iter()
                .filter_map(|a| a.package.as_ref())
                .map(|p| p.ecosystem.as_str())
                .collect();
            ecosystems.sort_unstable();
            ecosystems.dedup();
            for ecosystem in ecosystems {
                *counts.entry(ecosystem.to_owned()).or_default() += 1;
            }
        }
        report.read += read.records.len();
        report.errors.extend(read.errors);
        for record in read.records {
            match by_id.get(&record.id) {
                None => {
                    report.added += 1;
                    by_id.insert(record.id.clone(), record);
                }
                Some(old) if old.modified <= record.modified => {
                    if *old != record {
                        report.replaced += 1;
                    }
                    by_id.insert(record.id.clone(), record);
                }
                Some(_) => {}
            }
        }
        meta.record_source(Source {
            origin,
            imported: now.clone(),
            ecosystems: counts,
        });
    }
    let mut records: Vec<Record> = by_id.into_values().collect();
    records.sort_by(|a, b| a.id.cmp(&b.id));
    report.records = records.len();
    Store::write(dir, &records)?;
    meta.updated = now;
    meta.records = records.len();
    meta.withdrawn = records.iter().filter(|r| r.withdrawn.is_some()).count();
    meta.write(dir)?;
    Ok(report)
}
