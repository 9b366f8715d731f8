//! `rampart images`: the images the workloads run, listed by `rampart-scan`, as text or JSON.

use anyhow::Result;
use rampart_scan::Config;
use rampart_scan::images::{list, write_text};

use crate::cli::{ImagesArgs, ImagesFormat};
use crate::scan::{first_path, image_options, read, targets};
use rampart_report::write_output;

/// Lists the workloads' images; exit 0 (nothing here is a finding).
pub fn run(args: &ImagesArgs) -> Result<bool> {
    let targets = targets(&args.input);
    let config = Config::discover(args.config.as_deref(), first_path(&targets))?;
    let inventory = read(&targets, &args.input)?;
    let listing = list(
        &inventory,
        &config,
        &image_options(&args.image_source)?,
        args.images,
    );
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            ImagesFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &listing)?;
                writeln!(out)
            }
            ImagesFormat::Txt => write_text(out, &listing),
        }
    })?;
    Ok(false)
}
