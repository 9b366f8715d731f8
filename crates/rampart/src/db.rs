//! `rampart db import|update|status`: the offline vulnerability database, as `rampart-scan`
//! answers about it, written as a table or JSON (docs/json-db.md).

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use rampart_scan::db::{Imported, write_imported_text, write_status_text};

use crate::cli::{AnswerFormat, DbImportArgs, DbLocation, DbStatusArgs, DbUpdateArgs};
use crate::write_json;
use rampart_report::write_output;

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
        AnswerFormat::Json => write_json(out, imported),
        AnswerFormat::Table => write_imported_text(out, imported),
    })?;
    Ok(!imported.report.errors.is_empty())
}

pub fn status(args: &DbStatusArgs) -> Result<bool> {
    let dir = location(args.location.db.as_ref())?;
    let status = rampart_scan::db::status(&dir)?;
    write_output(None, |out, _color| match args.location.format {
        AnswerFormat::Json => write_json(out, &status),
        AnswerFormat::Table => write_status_text(out, &status),
    })?;
    Ok(false)
}
