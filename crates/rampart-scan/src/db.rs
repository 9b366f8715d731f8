//! The answers of `rampart db`: what the offline vulnerability database holds (`status`), and
//! what an import or an update put in it. Each serializable with its `schema_version`
//! (docs/json-db.md).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rampart_vulndb::{ArchiveLimits, Database, DbError, ImportReport, Input, Meta};
use serde::Serialize;

/// The version of the `db` answers' contract.
pub const SCHEMA_VERSION: u32 = 1;

/// A database older than this is stale: the scan says so.
pub const STALE_AFTER_SECONDS: u64 = 7 * 24 * 3600;

/// `rampart db status`.
#[derive(Debug, Serialize)]
pub struct Status {
    pub schema_version: u32,
    pub database: String,
    /// Whether there is a database in that folder at all.
    pub exists: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_seconds: Option<u64>,
    /// Older than a week.
    pub stale: bool,
    pub records: usize,
    pub withdrawn: usize,
    /// Distinct packages (ecosystem and name) the advisories name.
    pub packages: usize,
    pub ecosystems: Vec<EcosystemCount>,
    pub sources: Vec<SourceStatus>,
}

/// One imported source: a folder, a file, an export's URL.
#[derive(Debug, Serialize)]
pub struct SourceStatus {
    pub origin: String,
    pub imported: String,
    pub ecosystems: Vec<EcosystemCount>,
}

#[derive(Debug, Serialize)]
pub struct EcosystemCount {
    pub ecosystem: String,
    pub records: usize,
}

pub fn status(dir: &Path) -> Result<Status, DbError> {
    let mut status = Status {
        schema_version: SCHEMA_VERSION,
        database: dir.display().to_string(),
        exists: false,
        updated: None,
        age_seconds: None,
        stale: false,
        records: 0,
        withdrawn: 0,
        packages: 0,
        ecosystems: Vec::new(),
        sources: Vec::new(),
    };
    let db = match Database::open(dir) {
        Ok(db) => db,
        Err(DbError::Missing { .. }) => return Ok(status),
        Err(e) => return Err(e),
    };
    let Meta {
        updated,
        records,
        withdrawn,
        sources,
        ..
    } = db.meta.clone();
    status.exists = true;
    status.age_seconds = db.meta.age_seconds();
    status.stale = status
        .age_seconds
        .is_some_and(|age| age > STALE_AFTER_SECONDS);
    status.updated = Some(updated);
    status.records = records;
    status.withdrawn = withdrawn;
    status.packages = db.counts().1;
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for source in &sources {
        for (ecosystem, n) in &source.ecosystems {
            *counts.entry(ecosystem.clone()).or_default() += n;
        }
    }
    status.ecosystems = counts
        .into_iter()
        .map(|(ecosystem, records)| EcosystemCount { ecosystem, records })
        .collect();
    status.sources = sources
        .into_iter()
        .map(|source| SourceStatus {
            origin: source.origin,
            imported: source.imported,
            ecosystems: source
                .ecosystems
                .into_iter()
                .map(|(ecosystem, records)| EcosystemCount { ecosystem, records })
                .collect(),
        })
        .collect();
    Ok(status)
}

/// `rampart db import` and `rampart db update`.
#[derive(Debug, Serialize)]
pub struct Imported {
    pub schema_version: u32,
    pub database: String,
    /// The exports downloaded, for `update`; empty for `import`.
    pub downloaded: Vec<String>,
    #[serde(flatten)]
    pub report: ImportReport,
}

pub fn import(dir: &Path, sources: &[PathBuf]) -> Result<Imported, DbError> {
    let inputs = sources.iter().map(|s| Input::Path(s)).collect();
    let report = rampart_vulndb::import(dir, inputs, &ArchiveLimits::default())?;
    Ok(Imported {
        schema_version: SCHEMA_VERSION,
        database: dir.display().to_string(),
        downloaded: Vec::new(),
        report,
    })
}

/// Downloads the exports of `ecosystems` (by default, those the database already holds) from
/// `base_url` and imports them.
pub fn update(dir: &Path, ecosystems: &[String], base_url: &str) -> Result<Imported, DbError> {
    let mut wanted: Vec<String> = if ecosystems.is_empty() {
        match Meta::read(dir) {
            Ok(meta) => meta
                .ecosystems()
                .into_iter()
                // OSV exports an ecosystem whole, releases included: `Debian`, not `Debian:12`.
                .map(|e| e.split(':').next().unwrap_or_default().to_owned())
                .collect(),
            Err(_) => Vec::new(),
        }
    } else {
        ecosystems.to_vec()
    };
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() {
        return Err(DbError::Source {
            source_path: dir.display().to_string(),
            reason:
                "no ecosystem to download: name them with --ecosystem (PyPI, npm, Go, Debian, ...)"
                    .to_owned(),
        });
    }
    let urls: Vec<String> = wanted
        .iter()
        .map(|ecosystem| rampart_vulndb::update::export_url(base_url, ecosystem))
        .collect();
    let mut inputs = Vec::with_capacity(urls.len());
    for url in &urls {
        let bytes = rampart_vulndb::update::download(url)?;
        inputs.push(Input::Zip { url, bytes });
    }
    let report = rampart_vulndb::import(dir, inputs, &ArchiveLimits::default())?;
    Ok(Imported {
        schema_version: SCHEMA_VERSION,
        database: dir.display().to_string(),
        downloaded: urls,
        report,
    })
}

/// The database as the package rules consult it.
pub struct Advisories(Database);

impl Advisories {
    /// Opens the database of `dir`, with what to tell the user: that there is none (the
    /// package rules are then silent), or that it is older than a week. A database that
    /// exists but cannot be read is an error.
    pub fn open(dir: &Path) -> anyhow::Result<(Option<Advisories>, Vec<String>)> {
        match Database::open(dir) {
            Ok(db) => {
                let stale = db
                    .meta
                    .age_seconds()
                    .filter(|age| *age > STALE_AFTER_SECONDS)
                    .map(|age| {
                        format!(
                            "the vulnerability database in {} is {} days old: `rampart db update` refreshes it",
                            dir.display(),
                            age / 86_400
                        )
                    });
                Ok((Some(Advisories(db)), stale.into_iter().collect()))
            }
            Err(DbError::Missing { .. }) => Ok((
                None,
                vec![format!(
                    "no vulnerability database in {}: packages are not checked for vulnerabilities (`rampart db import --db {} SRC...` or `rampart db update --ecosystem ECOSYSTEM` makes one)",
                    dir.display(),
                    dir.display()
                )],
            )),
            Err(e) => Err(e.into()),
        }
    }
}

impl rampart_rules::Advisories for Advisories {
    fn check(
        &self,
        query: &rampart_vulndb::Query<'_>,
    ) -> Result<rampart_vulndb::PackageReport, String> {
        self.0.check(query).map_err(|e| e.to_string())
    }
}

pub fn write_status_text(out: &mut dyn Write, status: &Status) -> io::Result<()> {
    if !status.exists {
        return writeln!(
            out,
            "no vulnerability database in {}: `rampart db import --db {} SRC...` or `rampart db update --ecosystem ECOSYSTEM` makes one",
            status.database, status.database
        );
    }
    let age = status
        .age_seconds
        .map(|s| format!(" ({} days ago)", s / 86_400))
        .unwrap_or_default();
    writeln!(out, "database  {}", status.database)?;
    writeln!(
        out,
        "updated   {}{age}{}",
        status.updated.as_deref().unwrap_or("?"),
        if status.stale {
            ": older than a week, run `rampart db update`"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "records   {} ({} withdrawn) naming {} packages",
        status.records, status.withdrawn, status.packages
    )?;
    for count in &status.ecosystems {
        writeln!(out, "  {:<20} {}", count.ecosystem, count.records)?;
    }
    for source in &status.sources {
        writeln!(
            out,
            "source    {} (imported {})",
            source.origin, source.imported
        )?;
    }
    Ok(())
}

/// What an import or an update did, for people: the downloads, the files not imported, the
/// counts.
pub fn write_imported_text(out: &mut dyn Write, imported: &Imported) -> io::Result<()> {
    for url in &imported.downloaded {
        writeln!(out, "downloaded {url}")?;
    }
    for error in &imported.report.errors {
        writeln!(out, "error    {}: {}", error.path, error.reason)?;
    }
    let r = &imported.report;
    writeln!(
        out,
        "{}: {} records read, {} new, {} replaced; {} records in the database; {} files not imported",
        imported.database,
        r.read,
        r.added,
        r.replaced,
        r.records,
        r.errors.len()
    )
}
