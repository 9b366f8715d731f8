//! `rampart images`: the images the workloads run, listed by `rampart-scan`, as text or JSON.

use std::io::Write;

use anyhow::Result;
use rampart_graph::SourceKind;
use rampart_scan::Config;
use rampart_scan::images::{Listing, Placed, list};

use crate::cli::{ImagesArgs, ImagesFormat};
use crate::scan::{first_path, image_options, read, targets, write_output};

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
            ImagesFormat::Txt => write_txt(out, &listing),
        }
    })?;
    Ok(false)
}

fn write_txt(out: &mut dyn Write, listing: &Listing) -> std::io::Result<()> {
    let at = |placed: &Placed| {
        placed
            .location
            .as_ref()
            .map(|l| format!(" ({}:{})", l.path, l.line))
            .unwrap_or_default()
    };
    for entry in &listing.images {
        writeln!(out, "{}", entry.image)?;
        for runner in &entry.run_by {
            writeln!(out, "  run by     {}{}", runner.shown, at(runner))?;
        }
        for source in &entry.sources {
            let role = match source.kind {
                SourceKind::Image => "image     ",
                SourceKind::Dockerfile => "built from",
            };
            writeln!(out, "  {role} {}", source.path)?;
            writeln!(
                out,
                "             {}{}",
                source.matched.shown,
                at(&source.matched)
            )?;
        }
        for declared in &entry.missing {
            let (path, matched) = (&declared.path, &declared.matched);
            writeln!(out, "  declared   {path}, which the scan does not hold")?;
            writeln!(out, "             {}{}", matched.shown, at(matched))?;
        }
        if entry.sources.is_empty() && entry.missing.is_empty() {
            let why = match entry.tied.as_slice() {
                [] => "no Dockerfile or image of the scan".to_owned(),
                tied => format!(
                    "none: {} match its name equally well; list one under [images] in \
                     rampart.toml",
                    tied.join(", ")
                ),
            };
            writeln!(out, "  built from {why}")?;
        }
        if let Some(user) = &entry.user {
            writeln!(out, "  user       {}{}", user.shown, at(user))?;
        }
    }
    for error in &listing.errors {
        let line = error.line.map(|l| format!(":{l}")).unwrap_or_default();
        writeln!(out, "error: {}{line}: {}", error.path, error.message)?;
    }
    let matched = listing
        .images
        .iter()
        .filter(|entry| !entry.sources.is_empty())
        .count();
    writeln!(
        out,
        "\n{} images run by the workloads, {matched} matched to a Dockerfile or image of the scan",
        listing.images.len()
    )
}
