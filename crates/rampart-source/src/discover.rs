use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rampart_core::Diagnostic;
use rayon::prelude::*;

use crate::format::{Found, InputFormat, Parsed, SourceFile};
use crate::{Dockerfile, Inventory, Limits, builtin_formats};

/// What the user asked to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Path(PathBuf),
    /// `-`: read one stream from standard input.
    Stdin,
}

impl Target {
    pub fn parse(arg: &str) -> Target {
        if arg == "-" {
            Target::Stdin
        } else {
            Target::Path(PathBuf::from(arg))
        }
    }
}

#[derive(Clone)]
pub struct LoadOptions {
    pub limits: Limits,
    /// The formats files are read with; a file is read by the first that claims it.
    pub formats: Vec<Arc<dyn InputFormat>>,
    /// What a kustomization folder reads: a scan renders kustomizations (`rampart-scan`
    /// supplies this, rendering is above this crate) instead of reading their files as
    /// manifests. Without it, kustomization folders are walked like any other.
    pub kustomization_files: Option<fn(&Path) -> KustomizationFiles>,
}

/// The files a kustomization reads, its own and its bases' and components', absolute.
#[derive(Debug, Clone, Default)]
pub struct KustomizationFiles {
    pub files: Vec<PathBuf>,
    /// False for a component, which is rendered only as part of a kustomization.
    pub renderable: bool,
}

/// The names of a kustomization file.
const KUSTOMIZATION_FILES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            limits: Limits::default(),
            formats: builtin_formats(),
            kustomization_files: None,
        }
    }
}

/// A scan that cannot start at all (exit code 2), as opposed to bad files inside it.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("reading standard input: {0}")]
    Stdin(std::io::Error),
}

/// Image archives (`docker save` writes tar files), found by walks and when named.
const IMAGE_ARCHIVE_EXTENSION: &str = "tar";

fn is_image_archive(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()) == Some(IMAGE_ARCHIVE_EXTENSION)
}

/// The marker file of an OCI image layout folder.
const OCI_LAYOUT_MARKER: &str = "oci-layout";

/// Reads every target, in parallel, into one inventory. Folders are walked recursively,
/// honouring `.gitignore` and `.rampartignore`.
pub fn load(targets: &[Target], options: &LoadOptions) -> Result<Inventory, LoadError> {
    let formats = &options.formats;
    let mut files = Vec::new();
    let mut images = Vec::new();
    let mut walk_errors = Vec::new();
    let mut charts = Vec::new();
    let mut kustomizations = Vec::new();
    let mut claimed = HashSet::new();
    let mut stdin_bytes = None;
    for target in targets {
        match target {
            Target::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .take(options.limits.max_file_bytes + 1)
                    .read_to_end(&mut bytes)
                    .map_err(LoadError::Stdin)?;
                stdin_bytes = Some(bytes);
            }
            Target::Path(path) if path.is_dir() => {
                let (found, found_images, found_charts, errors) = walk(path, formats);
                images.extend(found_images);
                if let Some(read) = options.kustomization_files {
                    let (roots, read_by_them) = kustomization_roots(&found, read);
                    kustomizations.extend(roots);
                    claimed.extend(read_by_them);
                }
                files.extend(found.into_iter().filter(|(file, ..)| {
                    !found_charts.iter().any(|chart| file.starts_with(chart))
                }));
                charts.extend(found_charts);
                walk_errors.extend(errors);
            }
            Target::Path(path) if is_image_archive(path) && path.is_file() => {
                images.push(path.clone());
            }
            // A symlink whose target is gone still `exists` as a name: report it when read.
            Target::Path(path) if path.exists() || path.is_symlink() => {
                match format_of(path, Found::Named, formats) {
                    Some(format) => files.push((path.clone(), format, Found::Named)),
                    None => walk_errors.push(Diagnostic::error(
                        display_path(path),
                        None,
                        "no input format reads this file; not scanned".to_owned(),
                    )),
                }
            }
            Target::Path(path) => return Err(LoadError::Missing(path.display().to_string())),
        }
    }
    files.sort_by(|(a, ..), (b, ..)| a.cmp(b));
    files.dedup_by(|(a, ..), (b, ..)| a == b);
    images.sort();
    images.dedup();

    let parsed: Vec<Parsed> = files
        .par_iter()
        .map(|(path, format, found)| {
            let claim = Claim {
                formats,
                first: *format,
                found: *found,
            };
            let mut parsed = read_and_parse(path, &claim, &options.limits);
            // A kustomization's files are read (their secrets count), but their objects are
            // the rendered ones: bases and patches are not manifests on their own.
            if *found == Found::InFolder && claimed.contains(&absolute(path)) {
                parsed.items.take::<crate::Object>();
                parsed.errors.clear();
            }
            parsed
        })
        .collect();
    let mut roots: Vec<PathBuf> = targets
        .iter()
        .filter_map(|target| match target {
            Target::Path(path) if path.is_dir() => Some(path.as_path()),
            Target::Path(path) => path.parent(),
            Target::Stdin => None,
        })
        .map(|folder| match folder.as_os_str().is_empty() {
            true => Path::new("."),
            false => folder,
        })
        .filter_map(|folder| std::path::absolute(folder).ok())
        .map(|folder| normalise(&folder))
        .collect();
    roots.sort();
    roots.dedup();
    let mut inventory = Inventory::default();
    inventory.errors = walk_errors;
    inventory.images = images;
    inventory.roots = roots;
    charts.sort();
    charts.dedup();
    inventory.charts = charts;
    kustomizations.sort();
    kustomizations.dedup();
    inventory.kustomizations = kustomizations;
    if let Some(bytes) = stdin_bytes {
        let stdin = Path::new("-");
        let parsed = match format_of(stdin, Found::Named, formats) {
            Some(first) => {
                let claim = Claim {
                    formats,
                    first,
                    found: Found::Named,
                };
                parse_bytes(None, "-", &bytes, &claim, &options.limits)
            }
            None => Parsed::failed(Diagnostic::error(
                "-".to_owned(),
                None,
                "no input format reads standard input; not scanned".to_owned(),
            )),
        };
        inventory.add(vec![parsed]);
    }
    inventory.add(parsed);
    let mut dockerfiles = inventory.take::<Dockerfile>();
    for dockerfile in &mut dockerfiles {
        dockerfile.name = name_in_repository(Path::new(&*dockerfile.path), &inventory.roots);
    }
    inventory.extend(dockerfiles);
    Ok(inventory)
}

/// A file's path relative to the root of its repository (the nearest folder above it holding
/// `.git`), else to the deepest of `roots` (absolute, normalised scanned folders) holding it,
/// else as given, with `/` between folders: a name that does not depend on where the checkout
/// is or which folder was scanned.
pub fn name_in_repository(path: &Path, roots: &[PathBuf]) -> Arc<str> {
    let absolute = normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    let repository = absolute
        .ancestors()
        .skip(1)
        .find(|folder| folder.join(".git").exists());
    let scanned = || {
        roots
            .iter()
            .filter(|root| absolute.starts_with(root))
            .max_by_key(|root| root.components().count())
            .map(PathBuf::as_path)
    };
    let relative = repository
        .or_else(scanned)
        .and_then(|root| absolute.strip_prefix(root).ok());
    match relative {
        Some(relative) => {
            let parts: Vec<_> = relative.iter().map(|part| part.to_string_lossy()).collect();
            Arc::from(parts.join("/"))
        }
        None => Arc::from(display_path(path)),
    }
}

/// The position in `formats` of the format that reads `path`: the first that knows it by
/// name, else, for a file named explicitly, the first that takes it as named.
fn format_of(path: &Path, found: Found, formats: &[Arc<dyn InputFormat>]) -> Option<usize> {
    let claimed = |found| formats.iter().position(|format| format.claims(path, found));
    claimed(Found::InFolder).or_else(|| (found == Found::Named).then(|| claimed(found))?)
}

/// The formats that may read a file: from the first that claims it on, as it was found.
struct Claim<'a> {
    formats: &'a [Arc<dyn InputFormat>],
    first: usize,
    found: Found,
}

impl Claim<'_> {
    /// The format that reads `text` at `path`: the first claiming it that recognises the text,
    /// else the first claiming it (which reports what is wrong with the file).
    fn reader(&self, path: &Path, text: &str) -> &dyn InputFormat {
        let claiming = self.formats[self.first..].iter().filter(|format| {
            format.claims(path, Found::InFolder)
                || (self.found == Found::Named && format.claims(path, Found::Named))
        });
        claiming
            .clone()
            .find(|format| format.recognises(text))
            .or_else(|| claiming.clone().next())
            .map_or(&*self.formats[self.first], |format| &**format)
    }
}

fn too_large(path: &str, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        path.to_owned(),
        None,
        format!(
            "file is larger than the {} MiB limit; not scanned",
            limits.max_file_bytes / (1024 * 1024)
        ),
    )
}

fn read_and_parse(path: &Path, format: &Claim<'_>, limits: &Limits) -> Parsed {
    let shown = display_path(path);
    let cannot_read = |e: std::io::Error| {
        Parsed::failed(Diagnostic::error(
            shown.clone(),
            None,
            format!("cannot read: {e}"),
        ))
    };
    // Refuse by size before reading, so a huge file costs nothing.
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.len() > limits.max_file_bytes => {
            return Parsed::failed(too_large(&shown, limits));
        }
        Ok(_) => {}
        Err(e) => return cannot_read(e),
    }
    match std::fs::read(path) {
        Ok(bytes) => parse_bytes(Some(path), &shown, &bytes, format, limits),
        Err(e) => cannot_read(e),
    }
}

/// Checks that the bytes are text rampart can read (size, encoding), then has `format` parse
/// them. Files and standard input both come through here.
fn parse_bytes(
    path: Option<&Path>,
    shown: &str,
    bytes: &[u8],
    claim: &Claim<'_>,
    limits: &Limits,
) -> Parsed {
    let text = match checked_text(shown, bytes, limits) {
        Ok(text) => text,
        Err(error) => return Parsed::failed(error),
    };
    let mut parsed = Parsed::default();
    let file = SourceFile {
        path,
        shown,
        text,
        limits,
    };
    let format = claim.reader(path.unwrap_or(Path::new(shown)), text);
    format.parse(&file, &mut parsed);
    parsed
}

/// The bytes as text, if they are text rampart can read: within the size limit, UTF-8 (not
/// UTF-16), without NUL bytes; without the byte order mark.
fn checked_text<'a>(shown: &str, bytes: &'a [u8], limits: &Limits) -> Result<&'a str, Diagnostic> {
    let error = |line: Option<u32>, message: &str| {
        Diagnostic::error(shown.to_owned(), line, message.to_owned())
    };
    let line_at =
        |offset: usize| 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u32;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_large(shown, limits));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(error(
            None,
            "UTF-16 encoded; convert it to UTF-8 to scan it",
        ));
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(error(
            Some(line_at(nul)),
            "binary file (contains a NUL byte); not scanned",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        error(
            Some(line_at(e.valid_up_to())),
            "not valid UTF-8; not scanned",
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The kustomizations among the walked files that no other includes (each is rendered as its
/// own whole), and every file some kustomization reads (those are not manifests to read on
/// their own: bases, patches, generator inputs).
fn kustomization_roots(
    files: &[(PathBuf, usize, Found)],
    read: fn(&Path) -> KustomizationFiles,
) -> (Vec<PathBuf>, HashSet<PathBuf>) {
    let folders: Vec<(PathBuf, PathBuf)> = files
        .iter()
        .filter(|(file, ..)| {
            file.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|name| KUSTOMIZATION_FILES.contains(&name))
        })
        .filter_map(|(file, ..)| Some((file.parent()?.to_path_buf(), absolute(file))))
        .collect();
    let read: Vec<KustomizationFiles> = folders
        .par_iter()
        .map(|(folder, _)| read(&absolute(folder)))
        .collect();
    let mut claimed = HashSet::new();
    for (own, (_, file)) in read.iter().zip(&folders) {
        claimed.extend(own.files.iter().map(|f| normalise(f)));
        claimed.insert(file.clone());
    }
    let roots = folders
        .iter()
        .zip(&read)
        .filter(|((_, file), own)| {
            own.renderable
                && !read
                    .iter()
                    .any(|other| !std::ptr::eq(other, *own) && other.files.contains(file))
        })
        .map(|((folder, _), _)| folder.clone())
        .collect();
    (roots, claimed)
}

/// `path` absolute and without `.` or `..`, for comparing paths found in different ways.
fn absolute(path: &Path) -> PathBuf {
    normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// `a/./b/../c` as `a/c`, without touching the file system (walked paths are not canonical).
pub fn normalise(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if normal.file_name().is_some() => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// Files found by a walk, each with the position in the list of the format that reads it; the
/// images; the entries that could not be walked.
type Walked = (
    Vec<(PathBuf, usize, Found)>,
    Vec<PathBuf>,
    Vec<PathBuf>,
    Vec<Diagnostic>,
);

/// The file that makes a folder a Helm chart.
const HELM_CHART_MARKER: &str = "Chart.yaml";

/// The files under `root` that a format claims, the images, the Helm charts (outermost), and
/// the entries that could not be walked (a dangling symlink, an unreadable folder): those are
/// reported, not skipped silently.
fn walk(root: &Path, formats: &[Arc<dyn InputFormat>]) -> Walked {
    let mut files = Vec::new();
    let mut images = Vec::new();
    let mut charts: Vec<PathBuf> = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .add_custom_ignore_filename(".rampartignore")
        .require_git(false)
        .follow_links(true)
        // Dot-folders such as `.deploy/` or `.github/` hold manifests too; only VCS metadata
        // is skipped.
        .hidden(false)
        .filter_entry(|entry| !matches!(entry.file_name().to_str(), Some(".git" | ".hg" | ".svn")))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) if !entry.file_type().is_some_and(|t| t.is_file()) => {}
            Ok(entry) => {
                let path = entry.path();
                if entry.file_name() == OCI_LAYOUT_MARKER {
                    if let Some(layout) = path.parent() {
                        images.push(layout.to_path_buf());
                    }
                } else if entry.file_name() == HELM_CHART_MARKER {
                    if let Some(chart) = path.parent() {
                        charts.push(chart.to_path_buf());
                    }
                } else if is_image_archive(path) {
                    images.push(entry.into_path());
                } else if let Some(format) = format_of(path, Found::InFolder, formats) {
                    files.push((entry.into_path(), format, Found::InFolder));
                }
            }
            Err(error) => errors.push(walk_error(&error)),
        }
    }
    // A layout's `index.json` and manifests are the image's, not Kubernetes manifests.
    files.retain(|(file, ..)| !images.iter().any(|image| file.starts_with(image)));
    // A chart inside another (`charts/`, or vendored) is part of it.
    charts.sort();
    let outermost: Vec<PathBuf> = charts
        .iter()
        .filter(|c| {
            !charts
                .iter()
                .any(|other| other != *c && c.starts_with(other))
        })
        .cloned()
        .collect();
    (files, images, outermost, errors)
}

fn walk_error(error: &ignore::Error) -> Diagnostic {
    match error {
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::WithPath { path, err } => Diagnostic::error(
            display_path(path),
            None,
            format!("cannot read: {}", root_cause(err)),
        ),
        // The link that leads back into a folder above it is the entry that was not read.
        ignore::Error::Loop { ancestor, child } => Diagnostic::error(
            display_path(child),
            None,
            format!(
                "cannot read: a symbolic link loop (it leads back to {}); not followed",
                display_path(ancestor)
            ),
        ),
        other => Diagnostic::error(
            String::new(),
            None,
            format!("cannot read: {}", root_cause(other)),
        ),
    }
}

/// The operating system's reason, without the paths `ignore` wraps around it (the path is
/// reported in its own field).
fn root_cause(error: &ignore::Error) -> String {
    match error {
        ignore::Error::Io(io) => os_reason(io),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => root_cause(err),
        other => other.to_string(),
    }
}

/// The innermost operating-system error in `io`'s chain (walk errors wrap it with the path).
fn os_reason(io: &std::io::Error) -> String {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(io);
    while let Some(error) = cause {
        if let Some(os) = error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::raw_os_error)
        {
            return std::io::Error::from_raw_os_error(os).to_string();
        }
        cause = error.source();
    }
    io.to_string()
}

/// Paths as the user would type them: relative, without a leading `./`.
/// A path as reports show it: as the user named it, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let shown = path.display().to_string();
    shown.strip_prefix("./").map(str::to_owned).unwrap_or(shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ComposeFile, Object};

    #[test]
    fn dockerfiles_are_named_from_their_repository_else_the_scanned_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = normalise(&std::path::absolute(dir.path()).unwrap());
        let repository = root.join("checkout");
        std::fs::create_dir_all(repository.join(".git")).unwrap();
        std::fs::create_dir_all(repository.join("app")).unwrap();
        std::fs::create_dir_all(root.join("loose/api")).unwrap();
        let scanned = [repository.join("app"), root.join("loose")];
        let name = |path: PathBuf| name_in_repository(&path, &scanned).to_string();
        assert_eq!(name(repository.join("app/Dockerfile")), "app/Dockerfile");
        assert_eq!(name(root.join("loose/api/Dockerfile")), "api/Dockerfile");
        assert_eq!(
            name(root.join("Dockerfile")),
            root.join("Dockerfile").display().to_string()
        );
    }

    #[test]
    fn a_walk_keeps_compose_files_apart_from_manifests() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("compose.yaml"),
            "services:\n  api:\n    image: registry.example/api\n    build: ./api\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("docker-compose.override.yml"),
            "services: [\n",
        )
        .unwrap();
        let inventory = load(
            &[Target::Path(dir.path().to_owned())],
            &LoadOptions::default(),
        )
        .unwrap();
        let compose_files = inventory.all::<ComposeFile>();
        assert_eq!(compose_files.len(), 1);
        assert!(compose_files[0].path.ends_with("compose.yaml"));
        assert!(inventory.all::<Object>().is_empty());
        assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
        assert!(
            inventory.errors[0]
                .path
                .ends_with("docker-compose.override.yml")
        );
        assert!(inventory.errors[0].message.starts_with("invalid YAML"));
    }

    #[test]
    fn a_symlink_loop_is_reported_at_the_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("charts/web")).unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("charts/web/up")).unwrap();
        let inventory = load(
            &[Target::Path(dir.path().to_owned())],
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
        let error = &inventory.errors[0];
        assert_eq!(error.path, display_path(&dir.path().join("charts/web/up")));
        assert!(
            error.message.contains("symbolic link loop"),
            "{}",
            error.message
        );
        assert!(
            error.message.ends_with(&format!(
                "{}); not followed",
                display_path(&dir.path().join("charts"))
            )),
            "{}",
            error.message
        );
    }
}
