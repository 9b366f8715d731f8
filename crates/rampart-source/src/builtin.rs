//! The formats rampart reads without help: Kubernetes manifests, the control plane's
//! kubeconfigs, Dockerfiles and Compose files.

use std::path::Path;
use std::sync::Arc;

use crate::format::{Found, InputFormat, Parsed, SourceFile};
use crate::object::{ComposeFile, parse_text, yaml_error};
use crate::{parse_dockerfile, parse_stream};

/// The built-in formats, in the order they claim files. Callers add the formats of other crates
/// to this list.
pub fn builtin_formats() -> Vec<Arc<dyn InputFormat>> {
    vec![
        Arc::new(Dockerfiles),
        Arc::new(ComposeFiles),
        Arc::new(KubernetesManifests),
        Arc::new(ControlPlaneKubeconfigs),
    ]
}

/// Dockerfiles and Containerfiles, found by name.
struct Dockerfiles;

impl InputFormat for Dockerfiles {
    fn name(&self) -> &'static str {
        "Dockerfiles"
    }

    fn claims(&self, path: &Path, found: Found) -> bool {
        found == Found::InFolder && file_name(path).is_some_and(is_dockerfile_name)
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        let (dockerfile, errors) = parse_dockerfile(file.shown, file.text);
        into.extend(dockerfile.map(|mut dockerfile| {
            dockerfile.has_dockerignore = file.path.is_some_and(has_dockerignore);
            dockerfile
        }));
        errors.into_iter().for_each(|error| into.error(error));
    }
}

/// Docker Compose files: they say which Dockerfile builds which image.
struct ComposeFiles;

impl InputFormat for ComposeFiles {
    fn name(&self) -> &'static str {
        "Docker Compose files"
    }

    fn claims(&self, path: &Path, found: Found) -> bool {
        found == Found::InFolder && file_name(path).is_some_and(is_compose_name)
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        let (mut documents, error) = parse_stream(file.text, file.limits);
        if !documents.is_empty() {
            into.push(ComposeFile {
                path: Arc::from(file.shown),
                root: documents.swap_remove(0).root,
            });
        }
        if let Some(error) = error {
            into.error(yaml_error(file.shown, &error));
        }
    }
}

/// YAML streams and JSON holding Kubernetes objects. A walk reads them by extension; a file
/// named explicitly is read as one whatever its name.
struct KubernetesManifests;

/// Name extensions of manifests read when walking folders.
const MANIFEST_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

impl InputFormat for KubernetesManifests {
    fn name(&self) -> &'static str {
        "Kubernetes manifests"
    }

    fn claims(&self, path: &Path, found: Found) -> bool {
        found == Found::Named
            || path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| MANIFEST_EXTENSIONS.contains(&e))
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        parse_objects(file, into);
    }
}

/// kubeadm writes the control plane's kubeconfigs as `/etc/kubernetes/*.conf` (`admin.conf`,
/// `scheduler.conf`, ...); they are read too, so that a scan of a node's files holds the
/// kubeconfigs its components name.
struct ControlPlaneKubeconfigs;

impl InputFormat for ControlPlaneKubeconfigs {
    fn name(&self) -> &'static str {
        "control plane kubeconfigs"
    }

    fn claims(&self, path: &Path, found: Found) -> bool {
        found == Found::InFolder
            && path.extension().is_some_and(|e| e == "conf")
            && path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|dir| dir == "kubernetes")
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        parse_objects(file, into);
    }
}

fn parse_objects(file: &SourceFile<'_>, into: &mut Parsed) {
    let (objects, errors) = parse_text(file.shown, file.text, file.limits);
    into.extend(objects);
    errors.into_iter().for_each(|error| into.error(error));
}

fn file_name(path: &Path) -> Option<&str> {
    path.file_name().and_then(|name| name.to_str())
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
}
