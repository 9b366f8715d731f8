//! Configuration that is rendered before it is scanned: a folder with `Chart.yaml` is a Helm
//! chart, rendered as `helm template` renders it, and a folder with a `kustomization.yaml` is
//! built as `kubectl kustomize` builds it (`rampart-render`); their objects are scanned
//! instead of their templates, bases and patches. `rampart render` prints the same rendering.

use std::path::{Path, PathBuf};

use rampart_core::Diagnostic;
use rampart_render::helm::{self, Options, Rendered};
use rampart_render::kustomize;
use rampart_source::{
    HostFiles, Inventory, KustomizationFiles, Limits, Node, Object, Span, Value, display_path,
    parse_text,
};
use rayon::prelude::*;

/// What kind of rendered configuration a folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    Helm,
    Kustomize,
}

/// Whether `folder` is rendered before it is read, and how.
pub fn root_kind(folder: &Path) -> Option<Root> {
    if folder.join("Chart.yaml").is_file() {
        return Some(Root::Helm);
    }
    kustomize::KUSTOMIZATION_FILES
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

/// Builds the kustomization in `folder` as `kubectl kustomize` would. Its bases may be
/// anywhere on the machine (`../base`), so the build sees the whole file system.
pub fn render_kustomization(folder: &Path) -> Result<Vec<kustomize::Rendered>, RenderFailure> {
    let absolute = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
    kustomize::build(&HostFiles::new(Path::new("/")), &absolute.to_string_lossy()).map_err(|e| {
        RenderFailure {
            path: shown(&e.path),
            line: e.line.and_then(|l| u32::try_from(l).ok()),
            message: e.message,
        }
    })
}

/// What a kustomization reads, for discovery: those files are not manifests of their own.
pub fn kustomization_files(folder: &Path) -> KustomizationFiles {
    let files = HostFiles::new(Path::new("/"));
    let dir = folder.to_string_lossy();
    KustomizationFiles {
        files: kustomize::inputs(&files, &dir)
            .into_iter()
            .map(PathBuf::from)
            .collect(),
        renderable: !kustomize::is_component(&files, &dir),
    }
}

/// An absolute path from a build, shown relative to the working folder when it is inside it.
fn shown(path: &str) -> PathBuf {
    let path = Path::new(path);
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Renders what `folder` holds, a Helm chart or a kustomization, into the stream its tool
/// prints.
pub fn render_folder(folder: &Path, options: &Options) -> Result<String, RenderFailure> {
    match root_kind(folder) {
        Some(Root::Helm) => render_chart(folder, options).map(|r| r.stream()),
        Some(Root::Kustomize) => render_kustomization(folder).map(|r| kustomize::stream(&r)),
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

/// The objects of a built kustomization, each pointing at the file it was read from (a
/// generated ConfigMap or Secret: the kustomization that generates it), with the positions
/// its fields have there.
fn kustomized_objects(
    rendered: &[kustomize::Rendered],
    limits: &Limits,
) -> (Vec<Object>, Vec<Diagnostic>) {
    let mut sources: std::collections::HashMap<&str, Vec<Object>> = Default::default();
    for r in rendered {
        sources.entry(r.source.as_str()).or_insert_with(|| {
            std::fs::read_to_string(&r.source)
                .map(|text| parse_text(&r.source, &text, limits).0)
                .unwrap_or_default()
        });
    }
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for r in rendered {
        let text = kustomize::stream(std::slice::from_ref(r));
        let (found, problems) = parse_text(&display_path(&shown(&r.source)), &text, limits);
        let source = sources[r.source.as_str()].iter().find(|o| {
            o.kind == r.original.gvk.kind
                && o.name == r.original.name
                && o.api_version == r.original.gvk.api_version()
        });
        let start = Span::new(u32::try_from(r.line).unwrap_or(u32::MAX), 1);
        objects.extend(found.into_iter().map(|mut object| {
            adopt_positions(&mut object.root, source.map(|o| &o.root), start);
            object
        }));
        errors.extend(problems);
    }
    (objects, errors)
}

/// Gives a rendered node the positions of the same field in the source document; what the
/// build added takes the position of its nearest ancestor there. List elements are matched
/// by `name` where they have one (patches reorder them), else by index.
fn adopt_positions(node: &mut Node, source: Option<&Node>, fallback: Span) {
    let here = source.map_or(fallback, |s| s.span);
    node.span = here;
    match (&mut node.value, source.map(|s| &s.value)) {
        (Value::Map(entries), source) => {
            for entry in entries {
                let from = match source {
                    Some(Value::Map(theirs)) => theirs.iter().find(|e| e.key == entry.key),
                    _ => None,
                };
                entry.key_span = from.map_or(here, |e| e.key_span);
                adopt_positions(&mut entry.value, from.map(|e| &e.value), entry.key_span);
            }
        }
        (Value::Seq(items), source) => {
            let theirs = match source {
                Some(Value::Seq(theirs)) => theirs.as_slice(),
                _ => &[],
            };
            for (i, item) in items.iter_mut().enumerate() {
                let from = match item.get("name").and_then(Node::as_str) {
                    Some(name) => theirs
                        .iter()
                        .find(|t| t.get("name").and_then(Node::as_str) == Some(name)),
                    None => theirs.get(i),
                };
                adopt_positions(item, from, here);
            }
        }
        _ => {}
    }
}

/// Renders every chart and kustomization the scan found, in parallel, and adds their objects
/// to the inventory; one that cannot be rendered is an error entry naming the file and line.
pub fn render_roots(inventory: &mut Inventory, limits: &Limits) {
    let roots: Vec<(Root, PathBuf)> = inventory
        .charts
        .iter()
        .map(|c| (Root::Helm, c.clone()))
        .chain(
            inventory
                .kustomizations
                .iter()
                .map(|k| (Root::Kustomize, k.clone())),
        )
        .collect();
    let results: Vec<(Vec<Object>, Vec<Diagnostic>)> = roots
        .par_iter()
        .map(|(kind, folder)| {
            let (rendered, what) = match kind {
                Root::Helm => (
                    render_chart(folder, &Options::default())
                        .map(|r| objects_of(folder, &r, limits)),
                    "Helm chart",
                ),
                Root::Kustomize => (
                    render_kustomization(folder).map(|r| kustomized_objects(&r, limits)),
                    "kustomization",
                ),
            };
            rendered.unwrap_or_else(|failure| {
                let message = format!("{what} not rendered, not scanned: {}", failure.message);
                let error = Diagnostic::error(display_path(&failure.path), failure.line, message);
                (Vec::new(), vec![error])
            })
        })
        .collect();
    inventory.files += roots.len();
    for (objects, errors) in results {
        inventory.extend(objects);
        inventory.errors.extend(errors);
    }
}
