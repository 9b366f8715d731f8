//! The images a scan meets: images named on their own (`rampart image`), OCI layouts and
//! `docker save` archives in the scanned folders and, when asked, the images the workloads run,
//! pulled from their registries. Every image goes through the image rules of the selection.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use rampart_core::{Diagnostic, Finding};
use rampart_graph::{ImageMapping, ImageSource, normalized, reads_content, runners_by_image};
use rampart_image::{
    Image, ImageError, Limits, Platform, ReadOptions, RegistryOptions, read_path, read_reference,
};
use rampart_rules::{Rule, RuleOptions, image_capture, run_image};
use rampart_source::{Dockerfile, Inventory, Object, display_path, parse_dockerfile};

/// How images are read: which platform of a multi-platform image, which registries may be
/// reached over plain HTTP, and the caps on what one image may expand to.
#[derive(Debug, Clone, Default)]
pub struct ImageOptions {
    /// The platform analysed in multi-platform images (default: linux/amd64 when offered, else
    /// the first).
    pub platform: Option<Platform>,
    /// Registries (`host[:port]`) reached over plain HTTP; loopback registries always are.
    pub insecure_registries: Vec<String>,
    /// Caps on what one image may expand to.
    pub limits: Limits,
}

/// Images read from one place before the scan: a layout, an archive, or a reference pulled.
#[derive(Debug)]
pub struct ImageSet {
    /// How findings name them: the path or reference as given.
    pub shown: String,
    /// The layout or archive they were read from; `None` for a reference pulled.
    pub file: Option<PathBuf>,
    pub images: Vec<Image>,
}

/// What the images of a command gave: findings, errors, how many images were read, and
/// what matching them to workloads needs of each.
#[derive(Default)]
pub(crate) struct ImageFindings {
    pub(crate) findings: Vec<Finding>,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) count: usize,
    pub(crate) sources: Vec<ImageSource>,
}

/// How images are read and checked, for one command.
pub(crate) struct ImageAnalysis<'p> {
    rules: &'p [Rule],
    /// The vulnerability database the package rules match the images' packages against.
    advisories: Option<&'p dyn rampart_rules::Advisories>,
    options: &'p RuleOptions,
    images: &'p ImageOptions,
    registry: RegistryOptions,
    capture: Box<dyn Fn(&str) -> bool + Sync>,
}

impl<'p> ImageAnalysis<'p> {
    /// Reads images as `images` say and checks them with `rules` (none: only read them).
    pub(crate) fn new(
        images: &'p ImageOptions,
        rules: &'p [Rule],
        options: &'p RuleOptions,
    ) -> ImageAnalysis<'p> {
        ImageAnalysis {
            rules,
            advisories: None,
            options,
            images,
            registry: RegistryOptions {
                insecure: images.insecure_registries.clone(),
                ..RegistryOptions::default()
            },
            capture: {
                let rules_read = image_capture(rules);
                Box::new(move |path: &str| reads_content(path) || rules_read(path))
            },
        }
    }

    /// Matches the images' packages against `advisories` (the package rules' database).
    pub(crate) fn with_advisories(
        mut self,
        advisories: Option<&'p dyn rampart_rules::Advisories>,
    ) -> Self {
        self.advisories = advisories;
        self
    }

    /// Keeps the content of the files `capture` names instead of those the rules read.
    pub(crate) fn capturing(mut self, capture: Box<dyn Fn(&str) -> bool + Sync>) -> Self {
        self.capture = capture;
        self
    }

    fn read_options(&self) -> ReadOptions<'_> {
        ReadOptions {
            limits: &self.images.limits,
            platform: self.images.platform.as_ref(),
            capture: &*self.capture,
        }
    }

    /// Reads a layout or archive, or pulls a reference when no such path exists. Something
    /// written as a path (`./app`, `/tmp/app.tar`, `app.tar`) is never sent to a registry.
    pub(crate) fn read(&self, target: &str) -> Result<ImageSet> {
        let path = Path::new(target);
        let written_as_path = target.starts_with(['.', '/']) || target.ends_with(".tar");
        let (images, file) = if path.exists() {
            (
                read_path(path, &self.read_options())?,
                Some(path.to_owned()),
            )
        } else if written_as_path {
            return Err(anyhow!("{target}: no such file or directory"));
        } else {
            let images = read_reference(target, &self.registry, &self.read_options())?;
            (images, None)
        };
        Ok(ImageSet {
            shown: target.to_owned(),
            file,
            images,
        })
    }

    /// Runs the image rules over `images`, read from `source` (the layout or archive `file`,
    /// or a reference pulled).
    fn check(&self, images: &[Image], source: &str, file: Option<&Path>, out: &mut ImageFindings) {
        for (index, image) in images.iter().enumerate() {
            // Several images in one archive are told apart by name (or position).
            let shown = if images.len() == 1 {
                source.to_owned()
            } else {
                let name = image
                    .name
                    .clone()
                    .unwrap_or_else(|| (index + 1).to_string());
                format!("{source}#{name}")
            };
            let (findings, errors) =
                run_image(image, &shown, self.rules, self.options, self.advisories);
            out.findings.extend(findings);
            out.errors.extend(errors);
            out.sources.push(ImageSource::of_image(image, &shown, file));
        }
        out.count += images.len();
    }

    /// The images of a scan: those read before it (`sets`), the layouts and archives found in
    /// its folders and, when `pull`, the images its workloads run.
    pub(crate) fn scan(
        &self,
        sets: &[ImageSet],
        inventory: &Inventory,
        pull: bool,
    ) -> ImageFindings {
        let mut out = ImageFindings::default();
        for set in sets {
            self.check(&set.images, &set.shown, set.file.as_deref(), &mut out);
        }
        for path in &inventory.images {
            self.scan_found(path, &mut out);
        }
        if pull {
            for (reference, runners) in runners_by_image(inventory.all::<Object>()) {
                let users: Vec<&str> = runners.iter().map(|r| r.shown.as_str()).collect();
                self.scan_workload_image(reference, &users, &mut out);
            }
        }
        out
    }

    /// Checks the images at a path a folder scan found. A tar that holds no image is
    /// skipped; a broken image is an error entry.
    fn scan_found(&self, path: &Path, out: &mut ImageFindings) {
        let shown = display_path(path);
        match read_path(path, &self.read_options()) {
            Ok(images) => self.check(&images, &shown, Some(path), out),
            Err(ImageError::NotAnImage { .. }) => {}
            Err(error) => out.errors.push(image_error(&shown, &error, None)),
        }
    }

    /// Pulls and checks an image the workloads `users` run.
    fn scan_workload_image(&self, reference: &str, users: &[&str], out: &mut ImageFindings) {
        match read_reference(reference, &self.registry, &self.read_options()) {
            Ok(images) => self.check(&images, reference, None, out),
            Err(error) => out.errors.push(image_error(reference, &error, Some(users))),
        }
    }
}

fn image_error(shown: &str, error: &ImageError, users: Option<&[&str]>) -> Diagnostic {
    let run_by = users
        .map(|users| format!(" (image of {})", users.join(", ")))
        .unwrap_or_default();
    Diagnostic::error(
        shown.to_owned(),
        None,
        format!("cannot read image{run_by}: {error}"),
    )
}

/// The Dockerfiles `mapping` names that the scan did not read (outside its folders, or
/// ignored): read so that the workloads they build can be judged against them; their own
/// problems are not reported, as they are not part of the scan. Archives and layouts are not
/// read this way, nor files larger than a Dockerfile gets.
pub(crate) fn declared_outside(inventory: &Inventory, mapping: &ImageMapping) -> Vec<Dockerfile> {
    const MAX_DOCKERFILE_BYTES: u64 = 1024 * 1024;
    let scanned: HashSet<PathBuf> = inventory
        .all::<Dockerfile>()
        .iter()
        .map(|dockerfile| normalized(Path::new(&*dockerfile.path)))
        .collect();
    let mut files: Vec<&PathBuf> = mapping
        .entries
        .iter()
        .map(|entry| &entry.file)
        .filter(|file| !scanned.contains(*file))
        .collect();
    files.sort();
    files.dedup();
    let current = std::env::current_dir().unwrap_or_default();
    files
        .into_iter()
        .filter(|file| file.extension().is_none_or(|e| e != "tar"))
        .filter(|file| {
            std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() <= MAX_DOCKERFILE_BYTES)
        })
        .filter_map(|file| {
            let text = std::fs::read_to_string(file).ok()?;
            let shown = file.strip_prefix(&current).unwrap_or(file);
            parse_dockerfile(&shown.display().to_string(), &text).0
        })
        .collect()
}
