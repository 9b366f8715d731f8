//! Configuration that is rendered before it is scanned: a folder with `Chart.yaml` is a Helm
//! chart, rendered as `helm template` renders it (`rampart-render`), and its objects are
//! scanned instead of its templates. `rampart render` prints the same rendering. A folder with
//! a `kustomization.yaml` is the next kind of root to plug in here (`Root::Kustomize`).

use std::path::{Path, PathBuf};

use rampart_core::Diagnostic;
use rampart_render::helm::{self, Options, Rendered};
use rampart_source::{HostFiles, Inventory, Limits, Object, display_path, parse_text};
use rayon::prelude::*;

/// What kind of rendered configuration a folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    Helm,
    Kustomize,
}

/// The files that make a folder a kustomization, as `kustomize build` looks for them.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether `folder` is rendered before it is read, and how.
pub fn root_kind(folder: &Path) -> Option<Root> {
    if folder.join("Chart.yaml").is_file() {
        return Some(Root::Helm);
    }
    KUSTOMIZATION_FILES
        .iter()
        .any(|name| folder.join(name).is_file())
        .then_some(Root::Kustomize)
}

/// Why a folder could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RenderFailure {
    /// The file it failed in (a template), else the folder.
    pub path: PathBuf,
    pub line: Option<u32>,
    pub message: String,
}

/// Renders the chart in `folder` as `helm template` would with `options`.
pub fn render_chart(folder: &Path, options: &Options) -> Result<Rendered, RenderFailure> {
    let failure = |message: String| RenderFailure {
        path: folder.to_path_buf(),
        line: None,
        message,
    };
    let files = HostFiles::new(folder);
    let chart = helm::load_dir(&files, "/").map_err(|e| failure(e.to_string()))?;
    helm::render(&chart, options).map_err(|e| RenderFailure {
        path: e
            .template
            .as_deref()
            .map_or_else(|| folder.to_path_buf(), |t| source_path(folder, t)),
        line: e.line.and_then(|l| u32::try_from(l).ok()),
        message: e.message,
    })
}

/// Renders what `folder` holds: a Helm chart, or (not yet) a kustomization.
pub fn render_folder(folder: &Path, options: &Options) -> Result<Rendered, RenderFailure> {
    match root_kind(folder) {
        Some(Root::Helm) => render_chart(folder, options),
        Some(Root::Kustomize) => Err(RenderFailure {
            path: folder.to_path_buf(),
            line: None,
            message: "Kustomize overlays are not rendered yet".into(),
        }),
        None => Err(RenderFailure {
            path: folder.to_path_buf(),
            line: None,
            message: "neither a Helm chart (Chart.yaml) nor a kustomization (kustomization.yaml)"
                .into(),
        }),
    }
}

/// Where a rendered document's template is on disk: Helm names it `chart/templates/x.yaml`
/// (`chart/charts/sub/templates/x.yaml` in a subchart), the chart's folder holds it at
/// `templates/x.yaml`. A subchart from an archive has no file of its own; the path still
/// says which it is.
fn source_path(folder: &Path, source: &str) -> PathBuf {
    match source.split_once('/') {
        Some((_, inside)) => folder.join(inside),
        None => folder.to_path_buf(),
    }
}

/// The objects of a rendered chart, each pointing at the template that produced it.
fn objects_of(
    folder: &Path,
    rendered: &Rendered,
    limits: &Limits,
) -> (Vec<Object>, Vec<Diagnostic>) {
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for manifest in &rendered.manifests {
        let path = display_path(&source_path(folder, &manifest.source));
        let (found, problems) = parse_text(&path, &manifest.content, limits);
        let template: std::sync::Arc<str> = manifest.source.as_str().into();
        objects.extend(found.into_iter().map(|mut object| {
            object.template = Some(template.clone());
            object
        }));
        errors.extend(problems);
    }
    (objects, errors)
}

/// Renders every chart the scan found, in parallel, and adds their objects to the inventory;
/// a chart that cannot be rendered is an error entry naming the template and line.
pub fn render_charts(inventory: &mut Inventory, limits: &Limits) {
    let charts = std::mem::take(&mut inventory.charts);
    let results: Vec<(Vec<Object>, Vec<Diagnostic>)> = charts
        .par_iter()
        .map(|folder| match render_chart(folder, &Options::default()) {
            Ok(rendered) => objects_of(folder, &rendered, limits),
            Err(failure) => (
                Vec::new(),
                vec![Diagnostic::error(
                    display_path(&failure.path),
                    failure.line,
                    format!("Helm chart not rendered, not scanned: {}", failure.message),
                )],
            ),
        })
        .collect();
    inventory.files += charts.len();
    for (objects, errors) in results {
        inventory.extend(objects);
        inventory.errors.extend(errors);
    }
    inventory.charts = charts;
}
