use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rampart_core::ScanError;
use rayon::prelude::*;

use crate::node::Node;
use crate::object::{ComposeFile, Inventory, parse_text, yaml_error};
use crate::{Dockerfile, Limits, parse_dockerfile};

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

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub limits: Limits,
}

/// A scan that cannot start at all (exit code 2), as opposed to bad files inside it.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("reading standard input: {0}")]
    Stdin(std::io::Error),
}

/// Name extensions read when walking folders, besides Dockerfiles (see [`is_dockerfile_name`]).
/// Files named explicitly are read whatever their name.
const MANIFEST_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

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
    let mut files = Vec::new();
    let mut images = Vec::new();
    let mut walk_errors = Vec::new();
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
                let (found, found_images, errors) = walk(path);
                images.extend(found_images);
                let patches = kustomize_patches(&found, &options.limits);
                files.extend(
                    found
                        .into_iter()
                        .filter(|file| !patches.contains(&normalise(file))),
                );
                walk_errors.extend(errors);
            }
            Target::Path(path) if is_image_archive(path) && path.is_file() => {
                images.push(path.clone());
            }
            // A symlink whose target is gone still `exists` as a name: report it when read.
            Target::Path(path) if path.exists() || path.is_symlink() => files.push(path.clone()),
            Target::Path(path) => return Err(LoadError::Missing(path.display().to_string())),
        }
    }
    files.sort();
    files.dedup();
    images.sort();
    images.dedup();

    let parsed: Vec<_> = files
        .par_iter()
        .map(|path| read_and_parse(path, &options.limits))
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
    let mut inventory = Inventory {
        errors: walk_errors,
        images,
        roots,
        ..Inventory::default()
    };
    if let Some(bytes) = stdin_bytes {
        parsed_into(
            &mut inventory,
            parse_bytes("-", bytes, Format::Manifests, &options.limits),
        );
    }
    // Sized once: grown by doubling, the list of tens of thousands of objects would leave
    // its earlier copies behind.
    let objects = parsed
        .iter()
        .filter_map(|result| result.as_ref().ok())
        .map(|content| content.objects.len())
        .sum();
    inventory.objects.reserve_exact(objects);
    for result in parsed {
        parsed_into(&mut inventory, result);
    }
    Ok(inventory)
}

/// What one file held.
#[derive(Default)]
struct Content {
    objects: Vec<crate::Object>,
    dockerfile: Option<Dockerfile>,
    compose: Option<ComposeFile>,
    errors: Vec<ScanError>,
}

type Parsed = Result<Content, ScanError>;

/// How a file is read, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Manifests,
    Dockerfile,
    Compose,
}

fn parsed_into(inventory: &mut Inventory, parsed: Parsed) {
    inventory.files += 1;
    match parsed {
        Ok(content) => {
            inventory.objects.extend(content.objects);
            inventory.dockerfiles.extend(content.dockerfile);
            inventory.compose_files.extend(content.compose);
            inventory.errors.extend(content.errors);
        }
        Err(error) => inventory.errors.push(error),
    }
}

/// Whether a file name is one BuildKit or Podman builds from: `Dockerfile`, `Containerfile`,
/// `Dockerfile.<variant>`, `<variant>.Dockerfile` (any case), but not the
/// `<name>.dockerignore` files beside them.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    ["dockerfile", "containerfile"].iter().any(|base| {
        is_base_or_variant(&lower, base)
            || lower
                .strip_suffix(base)
                .is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
    })
}

/// `base`, or `base.<variant>` with a non-empty variant.
fn is_base_or_variant(name: &str, base: &str) -> bool {
    name == base
        || name
            .strip_prefix(base)
            .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
}

/// Whether a file name is one Docker Compose reads: `compose.yaml`, `docker-compose.yml`, and
/// variants such as `compose.override.yaml` or `docker-compose.prod.yml`.
pub fn is_compose_name(name: &str) -> bool {
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    ["compose", "docker-compose"]
        .iter()
        .any(|base| is_base_or_variant(stem, base))
}

fn format_of(path: &Path) -> Format {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if is_dockerfile_name(name) {
        Format::Dockerfile
    } else if is_compose_name(name) {
        Format::Compose
    } else {
        Format::Manifests
    }
}

/// Whether the build ignores files for this Dockerfile: `<name>.dockerignore` beside it (which
/// BuildKit prefers) or `.dockerignore` in its folder (the usual build context).
fn has_dockerignore(path: &Path) -> bool {
    let own = path.file_name().map(|name| {
        let mut name = name.to_os_string();
        name.push(".dockerignore");
        path.with_file_name(name)
    });
    let shared = path.with_file_name(".dockerignore");
    own.is_some_and(|own| own.is_file()) || shared.is_file()
}

fn too_large(path: &str, limits: &Limits) -> ScanError {
    ScanError {
        path: path.to_owned(),
        line: None,
        message: format!(
            "file is larger than the {} MiB limit; not scanned",
            limits.max_file_bytes / (1024 * 1024)
        ),
    }
}

fn read_and_parse(path: &Path, limits: &Limits) -> Parsed {
    let shown = display_path(path);
    let cannot_read = |e: std::io::Error| ScanError {
        path: shown.clone(),
        line: None,
        message: format!("cannot read: {e}"),
    };
    // Refuse by size before reading, so a huge file costs nothing.
    if std::fs::metadata(path).map_err(cannot_read)?.len() > limits.max_file_bytes {
        return Err(too_large(&shown, limits));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    let format = format_of(path);
    let mut content = parse_bytes(&shown, bytes, format, limits)?;
    if let Some(dockerfile) = &mut content.dockerfile {
        dockerfile.has_dockerignore = has_dockerignore(path);
    }
    Ok(content)
}

/// Checks that the bytes are text rampart can read (size, encoding), then parses them. Files
/// and standard input both come through here.
fn parse_bytes(shown: &str, bytes: Vec<u8>, format: Format, limits: &Limits) -> Parsed {
    let error = |line: Option<u32>, message: &str| ScanError {
        path: shown.to_owned(),
        line,
        message: message.to_owned(),
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
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            return Err(error(
                Some(line_at(e.valid_up_to())),
                "not valid UTF-8; not scanned",
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(match format {
        Format::Manifests => {
            let (objects, errors) = parse_text(shown, text, limits);
            Content {
                objects,
                errors,
                ..Content::default()
            }
        }
        Format::Dockerfile => {
            let (dockerfile, errors) = parse_dockerfile(shown, text);
            Content {
                dockerfile,
                errors,
                ..Content::default()
            }
        }
        Format::Compose => {
            let (mut documents, error) = crate::parse_stream(text, limits);
            Content {
                compose: (!documents.is_empty()).then(|| ComposeFile {
                    path: Arc::from(shown),
                    root: documents.swap_remove(0).root,
                }),
                errors: error
                    .map(|error| yaml_error(shown, &error))
                    .into_iter()
                    .collect(),
                ..Content::default()
            }
        }
    })
}

/// The files Kustomize overlays name as patches. They are fragments merged into other
/// manifests, not objects of their own (a patch rarely repeats a container's image), so a walk
/// does not read them; named explicitly, they are read like any file. A kustomization that
/// cannot be read is read again as a manifest, where its error is reported.
fn kustomize_patches(files: &[PathBuf], limits: &Limits) -> HashSet<PathBuf> {
    let mut patches = HashSet::new();
    for file in files {
        let is_kustomization = file
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|name| {
                matches!(
                    name,
                    "kustomization.yaml" | "kustomization.yml" | "Kustomization"
                )
            });
        let Some(folder) = file.parent().filter(|_| is_kustomization) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let (documents, _) = crate::parse_stream(&text, limits);
        for document in &documents {
            let strategic = document.root.get("patchesStrategicMerge").map(Node::items);
            let by_path = ["patches", "patchesJson6902"]
                .into_iter()
                .filter_map(|field| document.root.get(field))
                .flat_map(Node::items)
                .filter_map(|patch| patch.get("path"));
            let paths = strategic.unwrap_or(&[]).iter().chain(by_path);
            // Inline patches are YAML text, not file names.
            for path in paths.filter_map(Node::as_str).filter(|p| !p.contains('\n')) {
                patches.insert(normalise(&folder.join(path)));
            }
        }
    }
    patches
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

/// The manifest files and the images under `root`, and the entries that could not be walked
/// (a dangling symlink, an unreadable folder): those are reported, not skipped silently.
fn walk(root: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<ScanError>) {
    let mut files = Vec::new();
    let mut images = Vec::new();
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
            Ok(entry) => {
                let path = entry.path();
                let is_manifest = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| MANIFEST_EXTENSIONS.contains(&e))
                    || is_control_plane_kubeconfig(path);
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && entry.file_name() == OCI_LAYOUT_MARKER {
                    if let Some(layout) = path.parent() {
                        images.push(layout.to_path_buf());
                    }
                } else if is_file && is_image_archive(path) {
                    images.push(entry.into_path());
                } else if is_file && (is_manifest || format_of(path) == Format::Dockerfile) {
                    files.push(entry.into_path());
                }
            }
            Err(error) => errors.push(walk_error(&error)),
        }
    }
    // A layout's `index.json` and manifests are the image's, not Kubernetes manifests.
    files.retain(|file| !images.iter().any(|image| file.starts_with(image)));
    (files, images, errors)
}

/// kubeadm writes the control plane's kubeconfigs as `/etc/kubernetes/*.conf` (`admin.conf`,
/// `scheduler.conf`, ...); they are read too, so that a scan of a node's files holds the
/// kubeconfigs its components name.
fn is_control_plane_kubeconfig(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "conf")
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|dir| dir == "kubernetes")
}

fn walk_error(error: &ignore::Error) -> ScanError {
    match error {
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::WithPath { path, err } => ScanError {
            path: display_path(path),
            line: None,
            message: format!("cannot read: {}", root_cause(err)),
        },
        other => ScanError {
            path: String::new(),
            line: None,
            message: format!("cannot read: {}", root_cause(other)),
        },
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

    #[test]
    fn compose_files_are_told_by_name() {
        for name in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.override.yml",
            "compose.prod.yaml",
        ] {
            assert!(is_compose_name(name), "{name}");
        }
        for name in [
            "compose.json",
            "my-compose.yaml",
            "compose..yaml",
            "composer.yaml",
            "docker-compose",
        ] {
            assert!(!is_compose_name(name), "{name}");
        }
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
        assert_eq!(inventory.compose_files.len(), 1);
        assert!(inventory.compose_files[0].path.ends_with("compose.yaml"));
        assert!(inventory.objects.is_empty());
        assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
        assert!(
            inventory.errors[0]
                .path
                .ends_with("docker-compose.override.yml")
        );
        assert!(inventory.errors[0].message.starts_with("invalid YAML"));
    }
}
