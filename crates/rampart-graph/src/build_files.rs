//! Which Dockerfile builds which image, as Skaffold configurations and Compose files say.

use std::path::Path;

use rampart_core::{Diagnostic, Location};
use rampart_source::{ComposeFile, Inventory, Node, Object};

use crate::declared::{Declared, ImageMapping, Matched};
use crate::path::normalized;
use crate::source::Build;

/// `configured` (`[images]` of the configuration), then what the inventory's Skaffold and
/// Compose files declare: which file builds which image, in that order of trust; with the
/// build declarations that are malformed.
pub fn image_mapping(
    inventory: &Inventory,
    configured: ImageMapping,
) -> (ImageMapping, Vec<Diagnostic>) {
    let mut mapping = configured;
    let (declared, errors) =
        build_declarations(inventory.all::<Object>(), inventory.all::<ComposeFile>());
    mapping.entries.extend(declared);
    (mapping, errors)
}

/// The Dockerfiles that Skaffold configurations (`build.artifacts`, also in profiles; the
/// `docker` and `kaniko` builders) and Compose files (services with both `image` and `build`)
/// say build which images, with the stage they target and the build arguments they set.
/// Artifacts built without a Dockerfile (Jib, Bazel, Buildpacks, ko, custom), inline
/// Dockerfiles and remote build contexts declare none. A declaration with a field of the wrong
/// type is an error at its line, and not used.
pub fn build_declarations(
    objects: &[Object],
    compose_files: &[ComposeFile],
) -> (Vec<Declared>, Vec<Diagnostic>) {
    let mut declared = Vec::new();
    let mut errors = Vec::new();
    let mut judge = |spec: Result<Option<(&str, BuildSpec<'_>)>, String>,
                     folder: &Path,
                     what: &str,
                     at: Location| match spec {
        Ok(spec) => {
            declared.extend(spec.and_then(|(image, spec)| spec.declare(image, folder, what, at)))
        }
        Err(problem) => errors.push(Diagnostic::error(
            at.path.to_string(),
            Some(at.line),
            format!("{what}: {problem}; not used to match images to Dockerfiles"),
        )),
    };
    for object in objects {
        if !(object.api_version.starts_with("skaffold/") && object.kind == "Config") {
            continue;
        }
        let folder = Path::new(&*object.path).parent().unwrap_or(Path::new(""));
        let profiles = object.root.get("profiles").map(Node::items).unwrap_or(&[]);
        let lists = std::iter::once(("/build/artifacts".to_owned(), &object.root)).chain(
            profiles
                .iter()
                .enumerate()
                .map(|(index, profile)| (format!("/profiles/{index}/build/artifacts"), profile)),
        );
        for (pointer, holder) in lists {
            let artifacts = holder.path(&["build", "artifacts"]).map(Node::items);
            for (index, artifact) in artifacts.unwrap_or(&[]).iter().enumerate() {
                let at = object.location(object.span_at(&format!("{pointer}/{index}")));
                judge(skaffold_artifact(artifact), folder, "Skaffold artifact", at);
            }
        }
    }
    for compose in compose_files {
        let folder = Path::new(&*compose.path).parent().unwrap_or(Path::new(""));
        let services = compose.root.get("services").and_then(Node::as_map);
        for service in services.unwrap_or(&[]) {
            let Some(entries) = service.value.as_map() else {
                continue;
            };
            let (Some(image), Some(build)) = (
                service.value.get("image").and_then(Node::as_str),
                entries.iter().find(|entry| entry.key == "build"),
            ) else {
                continue;
            };
            let at = Location::new(
                compose.path.clone(),
                build.key_span.line,
                build.key_span.column,
            );
            let what = format!("Compose service `{}`", service.key);
            let spec = compose_build(&build.value).map(|spec| spec.map(|spec| (image, spec)));
            judge(spec, folder, &what, at);
        }
    }
    (declared, errors)
}

/// What a build file says of one build.
#[derive(Default)]
struct BuildSpec<'n> {
    context: Option<&'n str>,
    dockerfile: Option<&'n str>,
    build: Build,
}

impl BuildSpec<'_> {
    /// The declaration that this build of the file's `folder` makes `image`; none for a
    /// remote context.
    fn declare(self, image: &str, folder: &Path, what: &str, at: Location) -> Option<Declared> {
        let context = self.context.unwrap_or(".");
        let remote = ["://", "git@", "github.com/"];
        if remote.iter().any(|mark| context.contains(mark)) {
            return None;
        }
        let file = folder
            .join(context)
            .join(self.dockerfile.unwrap_or("Dockerfile"));
        Some(Declared {
            reference: image.to_owned(),
            file: normalized(&file),
            build: self.build,
            matched: Matched::Built {
                what: what.to_owned(),
                at,
            },
        })
    }
}

/// A string field of `node`: `Ok(None)` when absent, an error when of another type.
fn string_field<'n>(node: &'n Node, key: &str) -> Result<Option<&'n str>, String> {
    match node.get(key) {
        None => Ok(None),
        Some(value) => value
            .as_str()
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a string")),
    }
}

/// The names the build arguments `key` of `node` set: a mapping, or Compose's list of
/// `NAME=value`.
fn arg_names(node: &Node, key: &str) -> Result<Vec<String>, String> {
    let Some(args) = node.get(key) else {
        return Ok(Vec::new());
    };
    if let Some(entries) = args.as_map() {
        return Ok(entries.iter().map(|e| e.key.to_string()).collect());
    }
    let malformed = || format!("`{key}` must be a mapping or a list of strings");
    let items = args.as_seq().ok_or_else(malformed)?;
    items
        .iter()
        .map(|item| {
            let text = item.as_str().ok_or_else(malformed)?;
            Ok(text.split('=').next().unwrap_or(text).to_owned())
        })
        .collect()
}

/// The `target` and build arguments `args_key` of a build's settings `node`.
fn build_of(node: &Node, args_key: &str) -> Result<Build, String> {
    Ok(Build {
        target: string_field(node, "target")?.map(str::to_lowercase),
        args: arg_names(node, args_key)?,
    })
}

/// A Skaffold artifact's image and Docker or Kaniko build; `None` for the other builders.
fn skaffold_artifact(artifact: &Node) -> Result<Option<(&str, BuildSpec<'_>)>, String> {
    const OTHER_BUILDERS: [&str; 5] = ["jib", "bazel", "buildpacks", "ko", "custom"];
    if OTHER_BUILDERS.iter().any(|b| artifact.get(b).is_some()) {
        return Ok(None);
    }
    let image = string_field(artifact, "image")?.ok_or("`image` is required")?;
    let context = string_field(artifact, "context")?;
    let builder = match (artifact.get("docker"), artifact.get("kaniko")) {
        (Some(_), Some(_)) => return Err("sets both `docker` and `kaniko`".to_owned()),
        (builder, None) | (None, builder) => builder,
    };
    let spec = match builder {
        None => BuildSpec {
            context,
            ..BuildSpec::default()
        },
        Some(builder) if builder.as_map().is_none() => {
            return Err("its builder settings must be a mapping".to_owned());
        }
        Some(builder) => BuildSpec {
            context,
            dockerfile: string_field(builder, "dockerfile")?,
            build: build_of(builder, "buildArgs")?,
        },
    };
    Ok(Some((image, spec)))
}

/// A Compose service's `build`: a context path, or a mapping; `None` for an inline
/// Dockerfile.
fn compose_build(build: &Node) -> Result<Option<BuildSpec<'_>>, String> {
    if let Some(context) = build.as_str() {
        return Ok(Some(BuildSpec {
            context: Some(context),
            ..BuildSpec::default()
        }));
    }
    if build.as_map().is_none() {
        return Err("`build` must be a path or a mapping".to_owned());
    }
    if build.get("dockerfile_inline").is_some() {
        return Ok(None);
    }
    Ok(Some(BuildSpec {
        context: string_field(build, "context")?,
        dockerfile: string_field(build, "dockerfile")?,
        build: build_of(build, "args")?,
    }))
}
