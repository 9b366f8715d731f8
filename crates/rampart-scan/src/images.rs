//! The images listing (`rampart images`): the images the workloads run, each with the
//! containers that run it, the Dockerfile or image of the scan it is matched to (and why), and
//! the user it starts as. What a scan uses to carry findings across the container and cluster
//! layers, shown so that a missing or wrong match can be seen and fixed (`[images]` in
//! rampart.toml). Its JSON shape is a contract: docs/json-images.md.

use std::io::{self, Write};

use rampart_core::{Diagnostic, Location};
use rampart_graph::{
    ImageSource, ImageUser, Matched, SourceKind, image_links, image_mapping, runners_by_image,
};
use rampart_image::RuntimeUser;
use rampart_source::{Inventory, Object};
use serde::Serialize;

use crate::config::Config;
use crate::image::{ImageAnalysis, ImageOptions, declared_outside};

/// Version of the listing's JSON shape. Raised by any change that breaks a reader.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Listing {
    pub schema_version: u32,
    pub images: Vec<ImageEntry>,
    pub errors: Vec<Diagnostic>,
}

/// One image reference of the workloads.
#[derive(Debug, Serialize)]
pub struct ImageEntry {
    pub image: String,
    pub run_by: Vec<Placed>,
    /// Images of the scan first, then the Dockerfile.
    pub sources: Vec<SourceEntry>,
    /// Dockerfiles that match the reference's folders equally well, none of them taken.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tied: Vec<String>,
    /// Files `[images]` or a build file names for it that the scan does not hold: missing,
    /// or archives and layouts outside the scanned folders.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<SourceEntry>,
    /// The user its containers start as, from the first source that tells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<Placed>,
}

/// Something as people read it, with where it is when it is in a file of the scan.
#[derive(Debug, Serialize)]
pub struct Placed {
    pub shown: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[derive(Debug, Serialize)]
pub struct SourceEntry {
    #[serde(serialize_with = "kind_name")]
    pub kind: SourceKind,
    pub path: String,
    pub matched: Placed,
}

fn kind_name<S: serde::Serializer>(kind: &SourceKind, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(match kind {
        SourceKind::Dockerfile => "dockerfile",
        SourceKind::Image => "image",
    })
}

impl SourceEntry {
    fn new(kind: SourceKind, path: String, matched: &Matched) -> SourceEntry {
        SourceEntry {
            kind,
            path,
            matched: Placed {
                shown: matched.describe(),
                location: matched.location(),
            },
        }
    }
}

/// Lists the images the inventory's workloads run, matched as `config` says to the inventory's
/// Dockerfiles and images (read as `images` say; also pulled when `pull`).
pub fn list(inventory: &Inventory, config: &Config, images: &ImageOptions, pull: bool) -> Listing {
    // Read, not checked: only what matching needs of each image.
    let images = ImageAnalysis::new(images, &[], &config.options).scan(&[], inventory, pull);
    let (mapping, mapping_errors) = image_mapping(inventory, config.image_mapping());
    let outside = declared_outside(inventory, &mapping);
    let links = image_links(inventory, &outside, images.sources, &mapping);
    let entries = runners_by_image(inventory.all::<Object>())
        .into_iter()
        .map(|(reference, runners)| ImageEntry {
            image: reference.to_owned(),
            run_by: runners
                .into_iter()
                .map(|runner| Placed {
                    shown: runner.shown,
                    location: Some(runner.at),
                })
                .collect(),
            sources: links
                .sources_of(reference)
                .map(|(source, link)| {
                    SourceEntry::new(source.kind, source.shown.to_string(), &link.matched)
                })
                .collect(),
            tied: links.tied(reference).map(|s| s.shown.to_string()).collect(),
            missing: links
                .missing(reference)
                .iter()
                .map(|declared| {
                    let path = declared.file.display().to_string();
                    SourceEntry::new(SourceKind::Dockerfile, path, &declared.matched)
                })
                .collect(),
            // As the rules read it: the most trusted source that knows the user.
            user: links
                .user_of(reference)
                .or_else(|| links.sources_of(reference).next())
                .map(|(source, _)| user_of(source)),
        })
        .collect();
    let mut errors = inventory.errors.clone();
    errors.extend(images.errors);
    errors.extend(mapping_errors);
    errors.sort();
    Listing {
        schema_version: SCHEMA_VERSION,
        images: entries,
        errors,
    }
}

/// The user a source starts its containers as, and what the kubelet makes of it.
fn user_of(source: &ImageSource) -> Placed {
    let ImageUser { passwd_uid, at, .. } = &source.user;
    let what = &source.user.shown;
    let shown = match source.user.runtime() {
        None => format!("{what}, which the scan does not know"),
        Some(RuntimeUser::Unset) => format!("{what}: root"),
        Some(RuntimeUser::Uid(0)) => format!("{what}: uid 0, root"),
        Some(RuntimeUser::Uid(uid)) => format!("{what}: uid {uid}"),
        Some(RuntimeUser::Name(name)) => {
            let unverifiable = "by name, which `runAsNonRoot` cannot verify";
            match (name.as_str(), passwd_uid) {
                (_, Some(uid)) => {
                    format!("{what}: uid {uid} in the image's /etc/passwd, {unverifiable}")
                }
                ("root", None) => format!("{what}: root, {unverifiable}"),
                (_, None) => format!("{what}: a user {unverifiable}"),
            }
        }
    };
    Placed {
        shown,
        location: at.clone(),
    }
}

pub fn write_text(out: &mut dyn Write, listing: &Listing) -> io::Result<()> {
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
