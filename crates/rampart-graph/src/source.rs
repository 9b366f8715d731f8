//! What the scan knows of each source of images: a Dockerfile (as a build file builds it) or an
//! image it read, and the user its containers start as.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rampart_core::Location;
use rampart_image::{FileSystem, Image, RuntimeUser};
use rampart_source::{Base, Dockerfile};

use crate::path::normalized;

/// What the scan knows of the user an image starts its containers as.
#[derive(Debug, Clone)]
pub struct ImageUser {
    /// The `User` of the image as built (`USER` of the Dockerfile); `None` when the scan cannot
    /// know it: the Dockerfile leaves it to a base image the scan does not hold, or a build
    /// argument without a default sets it.
    pub configured: Option<String>,
    /// The uid the image's `/etc/passwd` gives a user name, when the image was read.
    pub passwd_uid: Option<u32>,
    /// The Dockerfile line that decides the user: the `USER` line, or the `FROM` line that
    /// inherits it. `None` for an image, whose configuration says it.
    pub at: Option<Location>,
    /// What decides it, as people read it: ``USER app``, ``base image `node:20` ``.
    pub shown: String,
}

impl ImageUser {
    /// The user as the runtime reads it, when known.
    pub fn runtime(&self) -> Option<RuntimeUser> {
        self.configured.as_deref().map(RuntimeUser::parse)
    }

    /// Whether the containers start as uid 0: `Some(true)` for no user, uid 0, `root`, or a
    /// name the image's `/etc/passwd` maps to 0; `None` when that cannot be told.
    pub fn is_root(&self) -> Option<bool> {
        self.runtime()?.is_root(|_| self.passwd_uid)
    }
}

/// What a source of images is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Dockerfile,
    Image,
}

/// A Dockerfile or an image of the scan.
#[derive(Debug, Clone)]
pub struct ImageSource {
    pub kind: SourceKind,
    /// As findings name it: the Dockerfile's or archive's path, or the reference pulled.
    pub shown: Arc<str>,
    /// The file on disk, when there is one: what `[images]` entries name.
    pub file: Option<PathBuf>,
    /// `repository:tag` (or `@digest`) the image is known by, for images.
    pub name: Option<String>,
    /// The digests an image is known by: its manifest's and those of the indexes it was
    /// chosen from.
    pub digests: Vec<String>,
    /// For a Dockerfile, how it is built: which stage, which build arguments.
    pub build: Build,
    pub user: ImageUser,
}

/// How a build file builds a Dockerfile: the stage it targets (the final one by default) and
/// the build arguments it sets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Build {
    /// `target` of a Compose build or a Skaffold artifact, lower case as BuildKit compares it.
    pub target: Option<String>,
    /// Names of the build arguments the build file sets.
    pub args: Vec<String>,
}

impl ImageSource {
    /// The image a Dockerfile builds by default: its final stage.
    pub fn of_dockerfile(dockerfile: &Dockerfile) -> Option<ImageSource> {
        ImageSource::of_build(dockerfile, &Build::default())
    }

    /// The image `build` makes of a Dockerfile; `None` when its target names no stage (the
    /// build fails).
    pub fn of_build(dockerfile: &Dockerfile, build: &Build) -> Option<ImageSource> {
        let stage = match &build.target {
            Some(target) => dockerfile
                .stages
                .iter()
                .find(|stage| stage.name.as_deref() == Some(target.as_str()))?,
            None => dockerfile.final_stage()?,
        };
        let user = match dockerfile.effective_user(stage) {
            Some((instruction, user)) => {
                // A `USER $UID` whose argument the build file sets is decided by the build.
                let overridden = build
                    .args
                    .iter()
                    .any(|arg| mentions_variable(&instruction.arguments, arg));
                ImageUser {
                    configured: (!instruction.words.unresolved && !overridden)
                        .then(|| user.clone()),
                    passwd_uid: None,
                    at: Some(dockerfile.location(instruction)),
                    shown: format!("`USER {}`", instruction.arguments.trim()),
                }
            }
            None => {
                let (configured, shown) = match dockerfile.effective_base(stage) {
                    Base::Scratch => (Some(String::new()), "`FROM scratch` without `USER`".into()),
                    Base::Image(base) | Base::Unresolved(base) => {
                        (None, format!("the user of base image `{base}`"))
                    }
                    // `effective_base` follows stages to their end.
                    Base::Stage(_) => (None, "the user of its base image".into()),
                };
                ImageUser {
                    configured,
                    passwd_uid: None,
                    at: Some(dockerfile.location(&stage.from)),
                    shown,
                }
            }
        };
        Some(ImageSource {
            kind: SourceKind::Dockerfile,
            shown: dockerfile.path.clone(),
            file: Some(normalized(Path::new(&*dockerfile.path))),
            name: None,
            digests: Vec::new(),
            build: build.clone(),
            user,
        })
    }
    /// What links need of an image read as `shown` (from the layout or archive `file`, not
    /// for a pulled image): its name, digest and user, with the uid its own `/etc/passwd` gives
    /// a named user (when the reader kept that file: see [`reads_content`]).
    pub fn of_image(image: &Image, shown: &str, file: Option<&Path>) -> ImageSource {
        let configured = image.config.container().user.clone().unwrap_or_default();
        let passwd_uid = match RuntimeUser::parse(&configured) {
            RuntimeUser::Name(name) => image.passwd_uid(&FileSystem::of(&image.layers), &name),
            RuntimeUser::Unset | RuntimeUser::Uid(_) => None,
        };
        let shown_user = if configured.is_empty() {
            "no user (`config.User` empty)".to_owned()
        } else {
            format!("`config.User` `{configured}`")
        };
        ImageSource {
            kind: SourceKind::Image,
            shown: Arc::from(shown),
            file: file.map(normalized),
            name: image.name.clone(),
            digests: image
                .manifest_digest
                .iter()
                .chain(&image.index_digests)
                .map(ToString::to_string)
                .collect(),
            build: Build::default(),
            user: ImageUser {
                configured: Some(configured),
                passwd_uid,
                at: None,
                shown: shown_user,
            },
        }
    }
}

/// Whether [`ImageSource::of_image`] reads the image file at `path`: a named user is looked up
/// in `/etc/passwd` to match the image to its pods, so image readers keep that file's head.
pub fn reads_content(path: &str) -> bool {
    path == "etc/passwd"
}

/// Whether `text` refers to the variable `name` (`$NAME`, `${NAME}`, `${NAME:-x}`).
fn mentions_variable(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices('$').any(|(at, _)| {
        let rest = &text[at + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        rest.strip_prefix(name)
            .is_some_and(|after| !after.starts_with(word))
    })
}
