//! `rampart db import|update|status`: the offline vulnerability database, as `rampart-scan`
//! answers about it, written as a table or JSON (docs/json-db.md).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use rampart_scan::db::{Imported, Status};

use crate::cli::{DbFormat, DbImportArgs, DbLocation, DbStatusArgs, DbUpdateArgs};
use crate::scan::write_output;
use crate::write_json;

/// The database folder: `--db`, else the default under the user's cache folder.
pub(crate) fn location(db: Option<&PathBuf>) -> Result<PathBuf> {
    db.cloned()
        .or_else(rampart_vulndb::default_dir)
        .ok_or_else(|| anyhow!("no cache folder (neither XDG_CACHE_HOME nor HOME is set): name the database with --db DIR"))
}

pub fn import(args: &DbImportArgs) -> Result<bool> {
    let dir = location(args.location.db.as_ref())?;
    let imported = rampart_scan::db::import(&dir, &args.sources)?;
    write_imported(&args.location, &imported)
}

pub fn update(args: &DbUpdateArgs) -> Result<bool> {
    let dir = location(args.location.db.as_ref())?;
    let imported = rampart_scan::db::update(&dir, &args.ecosystem, &args.base_url)?;
    write_imported(&args.location, &imported)
}

/// Exit 1 when some files could not be imported.
fn write_imported(location: &DbLocation, imported: &Imported) -> Result<bool> {
    write_output(None, |out, _color| match location.format {
        DbFormat::Json => write_json(out, imported),
        DbFormat::Table => {
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
    })?;
    Ok(!imported.report.errors.is_empty())
}

pub fn status(args: &DbStatusArgs) -> Result<bool> {
    let dir = location(args.location.db.as_ref())?;
    let status = rampart_scan::db::status(&dir)?;
    write_output(None, |out, _color| match args.location.format {
        DbFormat::Json => write_json(out, &status),
        DbFormat::Table => write_status(out, &status),
    })?;
    Ok(false)
}

fn write_status(out: &mut dyn Write, status: &Status) -> std::io::Result<()> {
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
