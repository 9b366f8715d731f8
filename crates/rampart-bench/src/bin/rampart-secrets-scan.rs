//! Reads folders as `rampart scan` reads them (discovery, limits, every input format with
//! its text scanned for secrets) and prints each secret found as `path<TAB>line<TAB>id`: the
//! detector's part of a scan, measured alone, with the release profile of this small crate.

use std::io::Write as _;

use rampart_secrets::{SecretsInFile, with_secret_scanning};
use rampart_source::{LoadOptions, Target, builtin_formats, load};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let targets: Vec<Target> = std::env::args()
        .skip(1)
        .map(|a| Target::parse(&a))
        .collect();
    let options = LoadOptions {
        formats: with_secret_scanning(builtin_formats()),
        ..LoadOptions::default()
    };
    let inventory = load(&targets, &options)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for file in inventory.all::<SecretsInFile>() {
        for secret in &file.secrets {
            writeln!(out, "{}\t{}\t{}", file.path, secret.line, secret.id)?;
        }
    }
    eprintln!("{} errors", inventory.errors.len());
    Ok(())
}
