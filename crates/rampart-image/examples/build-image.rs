//! Builds an image from a TOML description (see `rampart_image::build`):
//!
//! ```text
//! cargo run -p rampart-image --example build-image -- SPEC.toml OUT [--docker-archive|--docker-archive-classic]
//! ```
//!
//! `OUT` becomes an OCI image layout folder, or with `--docker-archive` a `docker save`
//! archive (Docker 25+ shape; `--docker-archive-classic` for the older one).

use std::path::PathBuf;
use std::process::ExitCode;

use rampart_image::build::{self, ArchiveStyle, ImageSpec};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (spec, out, style) = match args.as_slice() {
        [spec, out] => (spec, out, None),
        [spec, out, flag] if flag == "--docker-archive" => (spec, out, Some(ArchiveStyle::Layout)),
        [spec, out, flag] if flag == "--docker-archive-classic" => {
            (spec, out, Some(ArchiveStyle::Classic))
        }
        _ => {
            eprintln!(
                "usage: build-image SPEC.toml OUT [--docker-archive|--docker-archive-classic]"
            );
            return ExitCode::from(2);
        }
    };
    let result = std::fs::read_to_string(spec)
        .map_err(|e| format!("{spec}: {e}"))
        .and_then(|text| ImageSpec::parse(&text).map_err(|e| format!("{spec}: {e}")))
        .and_then(|image| {
            let out = PathBuf::from(out);
            match style {
                None => build::write_layout(&image, &out).map(|_| ()),
                Some(style) => build::write_docker_archive(&image, &out, style),
            }
            .map_err(|e| format!("{}: {e}", out.display()))
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("build-image: {error}");
            ExitCode::FAILURE
        }
    }
}
