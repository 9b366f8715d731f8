//! Where the images that workloads run come from: each image reference of a pod is matched to
//! the Dockerfile that builds it and the images of the scan that hold it, so that findings on a
//! Dockerfile or an image name the workloads running it, and workload rules can check the pod
//! against the user its image starts as.
//!
//! A reference is matched, in this order of trust:
//! 1. to the files `rampart.toml` lists for it under `[images]`;
//! 2. failing 1, to the Dockerfiles that Skaffold configurations and Compose files of the scan
//!    say build its repository;
//! 3. to the images of the scan (layouts, archives, pulled references) known by the same
//!    repository, with the same tag and digest where both sides give one;
//! 4. failing 1 and 2, to the Dockerfile whose folders end like the repository's path: the
//!    image `registry.example/shop/cart` is built by `.../shop/cart/Dockerfile` rather than by
//!    `.../cart/Dockerfile`, and `Dockerfile.cart` or `cart.Dockerfile` stand for a folder
//!    `cart`. When several Dockerfiles match equally well, none is taken.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rampart_core::{Evidence, Finding, Location};
use rampart_source::{Base, ComposeFile, Dockerfile, Node, Object, normalise};

use crate::image::ImageRef;
use crate::workload::pod_template;

/// The user an image's containers start as, read the way the container runtime reads the
/// image's `User`: the part before any `:` is a numeric uid when it parses as one, a user name
/// otherwise; an empty value leaves the uid unset, which the kubelet takes as root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeUser {
    Unset,
    Uid(i64),
    Name(String),
}

impl RuntimeUser {
    pub fn parse(user: &str) -> RuntimeUser {
        let user = user.split(':').next().unwrap_or(user);
        if user.is_empty() {
            RuntimeUser::Unset
        } else {
            user.parse()
                .map_or_else(|_| RuntimeUser::Name(user.to_owned()), RuntimeUser::Uid)
        }
    }
}

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
        match self.runtime()? {
            RuntimeUser::Unset => Some(true),
            RuntimeUser::Uid(uid) => Some(uid == 0),
            RuntimeUser::Name(name) if name == "root" => Some(true),
            RuntimeUser::Name(_) => self.passwd_uid.map(|uid| uid == 0),
        }
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
    /// The manifest digest, for images read with one.
    pub manifest_digest: Option<String>,
    pub user: ImageUser,
}

impl ImageSource {
    /// The image a Dockerfile builds: its final stage.
    pub fn of_dockerfile(dockerfile: &Dockerfile) -> Option<ImageSource> {
        let last = dockerfile.final_stage()?;
        let user = match dockerfile.effective_user(last) {
            Some((instruction, user)) => ImageUser {
                configured: (!instruction.words.unresolved).then(|| user.clone()),
                passwd_uid: None,
                at: Some(dockerfile.location(instruction)),
                shown: format!("`USER {}`", instruction.arguments.trim()),
            },
            None => {
                let (configured, shown) = match dockerfile.effective_base(last) {
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
                    at: Some(dockerfile.location(&last.from)),
                    shown,
                }
            }
        };
        Some(ImageSource {
            kind: SourceKind::Dockerfile,
            shown: dockerfile.path.clone(),
            file: Some(normalized(Path::new(&*dockerfile.path))),
            name: None,
            manifest_digest: None,
            user,
        })
    }
}

/// Why a reference was matched to a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// `[images]` in the configuration file lists it.
    Configured,
    /// A build file says this Dockerfile builds the repository: a Skaffold artifact, a
    /// Compose service (`what`), declared at `at`.
    Built { what: String, at: Location },
    /// The image is known by that repository (and tag or digest).
    Name,
    /// The Dockerfile's last folders are the repository's last path components.
    Folders(String),
}

impl Matched {
    /// How the match was made, as people read it.
    pub fn describe(&self) -> String {
        match self {
            Matched::Configured => "listed under `[images]` in rampart.toml".to_owned(),
            Matched::Built { what, .. } => format!("built by the {what}"),
            Matched::Name => "image known by that name".to_owned(),
            Matched::Folders(folders) => {
                format!("the Dockerfile's path and the image's repository both end in `{folders}`")
            }
        }
    }

    /// Where the match is declared, when a file of the scan declares it.
    pub fn location(&self) -> Option<Location> {
        match self {
            Matched::Built { at, .. } => Some(at.clone()),
            Matched::Configured | Matched::Name | Matched::Folders(_) => None,
        }
    }
}

/// A source of one image reference.
#[derive(Debug, Clone)]
pub struct Link {
    pub source: usize,
    pub matched: Matched,
}

/// An image reference with the Dockerfile, OCI layout or archive that builds or holds it,
/// as `[images]` of the configuration file lists it or a build file declares it.
#[derive(Debug, Clone)]
pub struct Declared {
    /// A repository stands for all its tags. A build file's tag is not compared: it names
    /// what a developer builds, not the release a manifest runs.
    pub reference: String,
    /// An absolute path.
    pub file: PathBuf,
    /// [`Matched::Configured`] or [`Matched::Built`].
    pub matched: Matched,
}

impl Declared {
    /// Whether the entry is about `wanted`: the same repository and, for a configured entry,
    /// the same tag or digest when the entry gives one.
    fn selects(&self, wanted: &ImageRef<'_>) -> bool {
        let Ok(key) = ImageRef::parse(&self.reference) else {
            return false;
        };
        key.name() == wanted.name()
            && (self.matched != Matched::Configured
                || (key
                    .tag
                    .is_none_or(|tag| wanted.effective_tag() == Some(tag))
                    && key
                        .digest
                        .is_none_or(|digest| wanted.digest == Some(digest))))
    }
}

/// What says which file builds which image: `[images]` of the configuration, then build
/// files, in that order of trust.
#[derive(Debug, Clone, Default)]
pub struct ImageMapping {
    pub entries: Vec<Declared>,
}

/// The Dockerfiles that Skaffold configurations (`build.artifacts`, also in profiles) and
/// Compose files (services with both `image` and `build`) say build which images. Artifacts
/// built without a Dockerfile (Jib, Bazel, Buildpacks, ko, custom) and remote build contexts
/// are left out.
pub fn build_declarations(objects: &[Object], compose_files: &[ComposeFile]) -> Vec<Declared> {
    let mut declared = Vec::new();
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
                const OTHER_BUILDERS: [&str; 5] = ["jib", "bazel", "buildpacks", "ko", "custom"];
                if OTHER_BUILDERS.iter().any(|b| artifact.get(b).is_some()) {
                    continue;
                }
                let Some(image) = artifact.get("image").and_then(Node::as_str) else {
                    continue;
                };
                let context = artifact.get("context").and_then(Node::as_str);
                let dockerfile = artifact
                    .path(&["docker", "dockerfile"])
                    .and_then(Node::as_str);
                let at = object.location(object.span_at(&format!("{pointer}/{index}/image")));
                declared.extend(built(
                    image,
                    folder,
                    context,
                    dockerfile,
                    "Skaffold artifact",
                    at,
                ));
            }
        }
    }
    for compose in compose_files {
        let folder = Path::new(&*compose.path).parent().unwrap_or(Path::new(""));
        let services = compose.root.get("services").and_then(Node::as_map);
        for service in services.unwrap_or(&[]) {
            let (Some(image), Some(build)) = (
                service.value.get("image").and_then(Node::as_str),
                service.value.get("build"),
            ) else {
                continue;
            };
            let (context, dockerfile) = match build.as_str() {
                Some(context) => (Some(context), None),
                None if build.get("dockerfile_inline").is_some() => continue,
                None => (
                    build.get("context").and_then(Node::as_str),
                    build.get("dockerfile").and_then(Node::as_str),
                ),
            };
            // At the `build` key, also when its value is a mapping on the next lines.
            let key = service
                .value
                .as_map()
                .and_then(|entries| entries.iter().find(|entry| entry.key == "build"))
                .map_or(build.span, |entry| entry.key_span);
            let at = Location {
                path: compose.path.clone(),
                line: key.line,
                column: key.column,
                template: None,
            };
            let what = format!("Compose service `{}`", service.key);
            declared.extend(built(image, folder, context, dockerfile, &what, at));
        }
    }
    declared
}

/// The declaration that the Dockerfile `dockerfile` (default `Dockerfile`) of the build
/// context `context` (default the folder of the build file, `folder`) builds `image`; none for
/// a remote context.
fn built(
    image: &str,
    folder: &Path,
    context: Option<&str>,
    dockerfile: Option<&str>,
    what: &str,
    at: Location,
) -> Option<Declared> {
    let context = context.unwrap_or(".");
    if context.contains("://") || context.starts_with("git@") {
        return None;
    }
    let file = folder
        .join(context)
        .join(dockerfile.unwrap_or("Dockerfile"));
    Some(Declared {
        reference: image.to_owned(),
        file: normalized(&file),
        matched: Matched::Built {
            what: what.to_owned(),
            at,
        },
    })
}

/// One container that runs an image.
#[derive(Debug, Clone)]
pub struct Runner {
    /// `Deployment shop/web, container web`.
    pub shown: String,
    /// The container's `image` field.
    pub at: Location,
}

/// The image references of the `objects`' pods, each with the containers that run it, in
/// reference order.
pub fn runners_by_image(objects: &[Object]) -> BTreeMap<&str, Vec<Runner>> {
    let mut runners: BTreeMap<&str, Vec<Runner>> = BTreeMap::new();
    for object in objects {
        let Some(pod) = pod_template(object) else {
            continue;
        };
        for container in pod.containers() {
            let Some(reference) = container.node.get("image").and_then(Node::as_str) else {
                continue;
            };
            runners.entry(reference).or_default().push(Runner {
                shown: format!(
                    "{}, container {}",
                    object.object_ref().label(),
                    container.name()
                ),
                at: object.location(object.span_at(&format!("{}/image", container.pointer))),
            });
        }
    }
    runners
}

/// The sources of the scan and the workloads' image references matched to them.
#[derive(Debug, Default)]
pub struct ImageLinks {
    sources: Vec<ImageSource>,
    by_reference: HashMap<String, Vec<Link>>,
    /// References left without a Dockerfile because several match their folders equally.
    tied: HashMap<String, Vec<usize>>,
    /// For each source, the containers that run it.
    runners: Vec<Vec<Runner>>,
}

impl ImageLinks {
    /// Matches every image reference of the `objects`' pods to `sources`.
    pub fn new(
        objects: &[Object],
        sources: Vec<ImageSource>,
        mapping: &ImageMapping,
    ) -> ImageLinks {
        let mut links = ImageLinks {
            runners: vec![Vec::new(); sources.len()],
            sources,
            by_reference: HashMap::new(),
            tied: HashMap::new(),
        };
        if links.sources.is_empty() {
            return links;
        }
        let folders = FolderIndex::new(&links.sources);
        for (reference, runners) in runners_by_image(objects) {
            let (found, tied) = links.match_reference(reference, mapping, &folders);
            for link in &found {
                links.runners[link.source].extend(runners.iter().cloned());
            }
            links.by_reference.insert(reference.to_owned(), found);
            if !tied.is_empty() {
                links.tied.insert(reference.to_owned(), tied);
            }
        }
        links
    }

    /// The sources of `reference`, images first, then the Dockerfile; and the Dockerfiles
    /// that match its folders equally well, when that leaves it without one.
    fn match_reference(
        &self,
        reference: &str,
        mapping: &ImageMapping,
        folders: &FolderIndex,
    ) -> (Vec<Link>, Vec<usize>) {
        let Ok(wanted) = ImageRef::parse(reference) else {
            return (Vec::new(), Vec::new());
        };
        let selected: Vec<&Declared> = mapping
            .entries
            .iter()
            .filter(|entry| entry.selects(&wanted))
            .collect();
        // The configuration overrides what build files say.
        let trusted: Vec<&Declared> = match selected
            .iter()
            .any(|entry| entry.matched == Matched::Configured)
        {
            true => selected
                .into_iter()
                .filter(|entry| entry.matched == Matched::Configured)
                .collect(),
            false => selected,
        };
        let mut found: Vec<Link> = self
            .sources
            .iter()
            .enumerate()
            .filter_map(|(index, source)| {
                let declared = trusted
                    .iter()
                    .find(|entry| source.file.as_ref() == Some(&entry.file));
                let matched = match declared {
                    Some(entry) => entry.matched.clone(),
                    None if source.kind == SourceKind::Image && same_image(source, &wanted) => {
                        Matched::Name
                    }
                    None => return None,
                };
                Some(Link {
                    source: index,
                    matched,
                })
            })
            .collect();
        let has_dockerfile = found
            .iter()
            .any(|link| self.sources[link.source].kind == SourceKind::Dockerfile);
        let mut tied = Vec::new();
        if !has_dockerfile && trusted.is_empty() {
            match folders.best(&wanted.repository()) {
                Some(Ok((source, folders))) => found.push(Link {
                    source,
                    matched: Matched::Folders(folders),
                }),
                Some(Err(sources)) => tied = sources,
                None => {}
            }
        }
        found.sort_by_key(|link| {
            (
                self.sources[link.source].kind == SourceKind::Dockerfile,
                link.source,
            )
        });
        (found, tied)
    }

    /// The sources matched to `reference`, images first.
    pub fn sources_of(&self, reference: &str) -> impl Iterator<Item = (&ImageSource, &Link)> {
        self.by_reference
            .get(reference)
            .into_iter()
            .flatten()
            .map(|link| (&self.sources[link.source], link))
    }

    /// The Dockerfiles that match `reference`'s folders equally well, when none was taken
    /// for that reason.
    pub fn tied(&self, reference: &str) -> impl Iterator<Item = &ImageSource> {
        self.tied
            .get(reference)
            .into_iter()
            .flatten()
            .map(|&index| &self.sources[index])
    }

    /// The user `reference` starts as, from the most telling source that knows it: an image
    /// before a Dockerfile.
    pub fn user_of(&self, reference: &str) -> Option<(&ImageSource, &Link)> {
        self.sources_of(reference)
            .find(|(source, _)| source.user.configured.is_some())
    }

    /// Adds to each finding on a Dockerfile or image the containers that run it.
    pub fn name_runners(&self, findings: &mut [Finding]) {
        let by_shown: HashMap<&str, usize> = self
            .sources
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.runners[*index].is_empty())
            .map(|(index, source)| (&*source.shown, index))
            .collect();
        if by_shown.is_empty() {
            return;
        }
        for finding in findings.iter_mut().filter(|f| f.object.is_none()) {
            let Some(&index) = by_shown.get(&*finding.location.path) else {
                continue;
            };
            finding
                .evidence
                .extend(self.runners[index].iter().map(|runner| Evidence {
                    label: "run by",
                    value: runner.shown.clone(),
                    location: Some(runner.at.clone()),
                }));
        }
    }
}

/// Evidence for a workload finding that rests on the user of its image.
pub fn user_evidence(source: &ImageSource, link: &Link) -> Vec<Evidence> {
    vec![
        Evidence {
            label: "image user",
            value: match source.kind {
                SourceKind::Dockerfile => source.user.shown.clone(),
                SourceKind::Image => format!("{} of image {}", source.user.shown, source.shown),
            },
            location: source.user.at.clone(),
        },
        Evidence {
            label: "matched",
            value: link.matched.describe(),
            location: link.matched.location(),
        },
    ]
}

/// Whether an image of the scan is the one `wanted` names: the same repository, the same
/// digest when both are known, the same tag when both give one.
fn same_image(source: &ImageSource, wanted: &ImageRef<'_>) -> bool {
    let Some(have) = source.name.as_deref().and_then(|n| ImageRef::parse(n).ok()) else {
        return false;
    };
    let digest = have.digest.or(source.manifest_digest.as_deref());
    have.name() == wanted.name()
        && match (wanted.digest, digest) {
            (Some(wanted), Some(have)) => wanted == have,
            _ => match (wanted.effective_tag(), have.effective_tag()) {
                (Some(wanted), Some(have)) => wanted == have,
                _ => true,
            },
        }
}

/// The Dockerfiles of the scan by the last component they stand for.
struct FolderIndex {
    /// For each Dockerfile, the components it stands for, last first, lower case.
    by_last: HashMap<String, Vec<(usize, Vec<String>)>>,
}

impl FolderIndex {
    fn new(sources: &[ImageSource]) -> FolderIndex {
        let mut by_last: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
        for (index, source) in sources.iter().enumerate() {
            if source.kind != SourceKind::Dockerfile {
                continue;
            }
            let Some(file) = &source.file else { continue };
            let components = stands_for(file);
            if let Some(last) = components.first() {
                by_last
                    .entry(last.clone())
                    .or_default()
                    .push((index, components));
            }
        }
        FolderIndex { by_last }
    }

    /// The Dockerfile whose components end with the most of `repository`'s path components,
    /// with those components; `Err` with the Dockerfiles that share the best match.
    fn best(&self, repository: &str) -> Option<Result<(usize, String), Vec<usize>>> {
        let wanted: Vec<String> = repository.rsplit('/').map(str::to_lowercase).collect();
        let candidates = self.by_last.get(wanted.first()?)?;
        let scored: Vec<(usize, usize)> = candidates
            .iter()
            .map(|(index, components)| {
                let common = components
                    .iter()
                    .zip(&wanted)
                    .take_while(|(a, b)| a == b)
                    .count();
                (common, *index)
            })
            .collect();
        let top = scored.iter().map(|(common, _)| *common).max()?;
        let best: Vec<usize> = scored
            .iter()
            .filter(|(common, _)| *common == top)
            .map(|(_, index)| *index)
            .collect();
        if let [index] = best[..] {
            let mut folders: Vec<&str> = wanted[..top].iter().map(String::as_str).collect();
            folders.reverse();
            Some(Ok((index, folders.join("/"))))
        } else {
            Some(Err(best))
        }
    }
}

/// The path components a Dockerfile stands for, last first: its folders, and the `NAME` of
/// `Dockerfile.NAME` or `NAME.Dockerfile` (also `Containerfile`) after them.
fn stands_for(file: &Path) -> Vec<String> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let suffix = ["dockerfile", "containerfile"].iter().find_map(|recipe| {
        name.strip_prefix(&format!("{recipe}."))
            .or_else(|| name.strip_suffix(&format!(".{recipe}")))
    });
    let folders = file
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .rev()
        .filter_map(|component| match component {
            Component::Normal(folder) => Some(folder.to_string_lossy().to_lowercase()),
            _ => None,
        });
    suffix
        .map(str::to_owned)
        .into_iter()
        .chain(folders)
        .collect()
}

/// `path` made absolute against the current folder, with `.` and `..` resolved by name (the
/// file need not exist): how configured paths and scanned paths are compared.
pub fn normalized(path: &Path) -> PathBuf {
    normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_dockerfile, parse_text};

    use super::*;

    fn pods(images: &[&str]) -> Vec<Object> {
        let mut text = String::new();
        for (index, image) in images.iter().enumerate() {
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{index}, namespace: ns}}\n\
                 spec:\n  containers:\n    - {{name: c, image: \"{image}\"}}\n"
            ));
        }
        let (objects, errors) = parse_text("pods.yaml", &text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        objects
    }

    fn dockerfile(path: &str, text: &str) -> ImageSource {
        let (dockerfile, errors) = parse_dockerfile(path, text);
        assert!(errors.is_empty(), "{errors:?}");
        ImageSource::of_dockerfile(&dockerfile.unwrap()).unwrap()
    }

    fn image(name: &str, user: &str, digest: Option<&str>) -> ImageSource {
        ImageSource {
            kind: SourceKind::Image,
            shown: Arc::from(name),
            file: None,
            name: Some(name.to_owned()),
            manifest_digest: digest.map(str::to_owned),
            user: ImageUser {
                configured: Some(user.to_owned()),
                passwd_uid: None,
                at: None,
                shown: format!("`{user}`"),
            },
        }
    }

    fn configured(reference: &str, file: &str) -> Declared {
        Declared {
            reference: reference.to_owned(),
            file: PathBuf::from(file),
            matched: Matched::Configured,
        }
    }

    /// The sources each reference is matched to, by what they are shown as.
    fn matches(links: &ImageLinks, reference: &str) -> Vec<String> {
        links
            .sources_of(reference)
            .map(|(source, _)| source.shown.to_string())
            .collect()
    }

    #[test]
    fn the_runtime_reads_the_user_before_the_colon() {
        assert_eq!(RuntimeUser::parse(""), RuntimeUser::Unset);
        assert_eq!(RuntimeUser::parse("0"), RuntimeUser::Uid(0));
        assert_eq!(RuntimeUser::parse("00:0"), RuntimeUser::Uid(0));
        assert_eq!(RuntimeUser::parse("10001:10001"), RuntimeUser::Uid(10001));
        assert_eq!(RuntimeUser::parse("+7"), RuntimeUser::Uid(7));
        assert_eq!(RuntimeUser::parse(":1000"), RuntimeUser::Unset);
        assert_eq!(RuntimeUser::parse("root"), RuntimeUser::Name("root".into()));
        assert_eq!(
            RuntimeUser::parse("app:app"),
            RuntimeUser::Name("app".into())
        );
        // Beyond 64 bits a number is a name, as Go's ParseInt fails on it.
        assert_eq!(
            RuntimeUser::parse("99999999999999999999"),
            RuntimeUser::Name("99999999999999999999".into())
        );
    }

    #[test]
    fn root_is_no_user_uid_zero_root_or_a_name_passwd_maps_to_zero() {
        let user = |configured: Option<&str>, passwd_uid: Option<u32>| ImageUser {
            configured: configured.map(str::to_owned),
            passwd_uid,
            at: None,
            shown: String::new(),
        };
        assert_eq!(user(Some(""), None).is_root(), Some(true));
        assert_eq!(user(Some("0:10"), None).is_root(), Some(true));
        assert_eq!(user(Some("root"), None).is_root(), Some(true));
        assert_eq!(user(Some("toor"), Some(0)).is_root(), Some(true));
        assert_eq!(user(Some("app"), Some(10001)).is_root(), Some(false));
        assert_eq!(user(Some("app"), None).is_root(), None);
        assert_eq!(user(Some("10001"), None).is_root(), Some(false));
        assert_eq!(user(None, None).is_root(), None);
    }

    #[test]
    fn a_dockerfile_user_is_its_final_stage_lineage() {
        let source = dockerfile(
            "svc/Dockerfile",
            "FROM debian:12 AS base\nUSER 10001\nFROM base\nRUN true\n",
        );
        assert_eq!(source.user.configured.as_deref(), Some("10001"));
        assert_eq!(source.user.at.as_ref().unwrap().line, 2);
        // A build stage's `USER` does not reach the final image.
        let source = dockerfile(
            "svc/Dockerfile",
            "FROM golang:1.23 AS build\nUSER 10001\nFROM scratch\nCOPY --from=build /x /x\n",
        );
        assert_eq!(source.user.configured.as_deref(), Some(""));
        assert_eq!(source.user.at.as_ref().unwrap().line, 3);
        let source = dockerfile("svc/Dockerfile", "FROM node:20\nCMD node\n");
        assert_eq!(source.user.configured, None);
        assert_eq!(source.user.shown, "the user of base image `node:20`");
        let source = dockerfile(
            "svc/Dockerfile",
            "FROM debian:12\nARG APP_USER\nUSER $APP_USER\n",
        );
        assert_eq!(source.user.configured, None);
    }

    #[test]
    fn folders_match_the_repository_from_its_end_and_ties_match_nothing() {
        let sources = vec![
            dockerfile("/src/shop/cart/Dockerfile", "FROM scratch\n"),
            dockerfile("/src/legacy/cart/Dockerfile", "FROM scratch\n"),
            dockerfile("/src/api/Dockerfile", "FROM scratch\n"),
            dockerfile("/src/api/Dockerfile.dev", "FROM scratch\n"),
            dockerfile("/src/jobs/report.Containerfile", "FROM scratch\n"),
        ];
        let references = [
            "registry.example/shop/cart:1",
            "registry.example/acme/cart:1",
            "registry.example/api:2",
            "registry.example/api/dev",
            "registry.example/team/report",
            "registry.example/unrelated:1",
        ];
        let links = ImageLinks::new(&pods(&references), sources, &ImageMapping::default());
        assert_eq!(
            matches(&links, references[0]),
            ["/src/shop/cart/Dockerfile"]
        );
        // Two folders named `cart`, neither under `acme`: not told apart.
        assert!(matches(&links, references[1]).is_empty());
        let tied: Vec<&str> = links.tied(references[1]).map(|s| &*s.shown).collect();
        assert_eq!(
            tied,
            ["/src/shop/cart/Dockerfile", "/src/legacy/cart/Dockerfile"]
        );
        assert_eq!(links.tied(references[0]).count(), 0);
        // `Dockerfile.dev` stands for `api/dev`, not for `api`.
        assert_eq!(matches(&links, references[2]), ["/src/api/Dockerfile"]);
        assert_eq!(matches(&links, references[3]), ["/src/api/Dockerfile.dev"]);
        assert_eq!(
            matches(&links, references[4]),
            ["/src/jobs/report.Containerfile"]
        );
        assert!(matches(&links, references[5]).is_empty());
    }

    #[test]
    fn images_match_by_repository_tag_and_digest() {
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let sources = vec![
            image("registry.example/shop/api:1.4", "10001", Some(digest)),
            image("nginx", "", None),
        ];
        let pinned = format!("registry.example/shop/api@{digest}");
        let other_digest = format!("registry.example/shop/api@sha256:{}", "f".repeat(64));
        let references = [
            "registry.example/shop/api:1.4",
            "registry.example/shop/api:1.5",
            pinned.as_str(),
            other_digest.as_str(),
            "docker.io/library/nginx:latest",
            "nginx:1.27",
        ];
        let links = ImageLinks::new(&pods(&references), sources, &ImageMapping::default());
        let shown = |reference: &str| matches(&links, reference);
        assert_eq!(shown(references[0]), ["registry.example/shop/api:1.4"]);
        assert!(shown(references[1]).is_empty());
        assert_eq!(shown(references[2]), ["registry.example/shop/api:1.4"]);
        assert!(shown(references[3]).is_empty());
        // `nginx` is `docker.io/library/nginx:latest`.
        assert_eq!(shown(references[4]), ["nginx"]);
        assert!(shown(references[5]).is_empty());
    }

    #[test]
    fn the_mapping_wins_over_folders_and_images_come_before_dockerfiles() {
        let mut sources = vec![
            dockerfile("/src/payments/Dockerfile", "FROM scratch\nUSER 0\n"),
            dockerfile("/src/gateway/Dockerfile", "FROM scratch\nUSER 10001\n"),
            image("quay.io/acme/gateway:3", "app", None),
        ];
        sources[2].file = Some(PathBuf::from("/images/gateway.tar"));
        let mapping = ImageMapping {
            entries: vec![
                configured("quay.io/acme/gateway", "/src/payments/Dockerfile"),
                configured("quay.io/acme/gateway:4", "/images/gateway.tar"),
            ],
        };
        let references = ["quay.io/acme/gateway:3", "quay.io/acme/gateway:4"];
        let links = ImageLinks::new(&pods(&references), sources, &mapping);
        assert_eq!(
            matches(&links, references[0]),
            ["quay.io/acme/gateway:3", "/src/payments/Dockerfile"]
        );
        let (source, link) = links.user_of(references[0]).unwrap();
        assert_eq!(&*source.shown, "quay.io/acme/gateway:3");
        assert_eq!(link.matched, Matched::Name);
        // A tagged key selects that tag only: tag 4 gets the archive it names (whatever its
        // own name says) and the repository's Dockerfile.
        assert_eq!(
            matches(&links, references[1]),
            ["quay.io/acme/gateway:3", "/src/payments/Dockerfile"]
        );
        assert!(
            links
                .sources_of(references[1])
                .all(|(_, link)| link.matched == Matched::Configured)
        );
    }

    #[test]
    fn skaffold_and_compose_say_which_dockerfile_builds_an_image() {
        let skaffold = "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n\
            \x20   - image: registry.example/shop/api\n      context: services/api\n\
            \x20   - image: registry.example/shop/jvm\n      jib: {}\n\
            profiles:\n  - name: prod\n    build:\n      artifacts:\n\
            \x20       - image: registry.example/shop/web\n\
            \x20         docker: {dockerfile: build/Dockerfile.prod}\n";
        let (objects, errors) = parse_text("/repo/skaffold.yaml", skaffold, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let compose = "services:\n  worker:\n    image: registry.example/shop/worker:dev\n\
            \x20   build:\n      context: ./worker\n      dockerfile: Containerfile\n\
            \x20 cache:\n    image: redis:7\n  tool:\n    image: registry.example/tool\n\
            \x20   build: https://github.com/acme/tool.git\n  inline:\n\
            \x20   image: registry.example/inline\n    build:\n      dockerfile_inline: FROM scratch\n  simple:\n\
            \x20   image: registry.example/simple\n    build: ../simple\n";
        let (mut documents, error) = rampart_source::parse_stream(compose, &Limits::default());
        assert!(error.is_none(), "{error:?}");
        let compose = ComposeFile {
            path: Arc::from("/repo/deploy/compose.yaml"),
            root: documents.remove(0).root,
        };
        let declared: Vec<(String, String, String)> =
            build_declarations(&objects, std::slice::from_ref(&compose))
                .into_iter()
                .map(|d| {
                    let at = d.matched.location().unwrap();
                    (
                        d.reference,
                        d.file.display().to_string(),
                        format!("{} at {}:{}", d.matched.describe(), at.path, at.line),
                    )
                })
                .collect();
        let expected = [
            (
                "registry.example/shop/api",
                "/repo/services/api/Dockerfile",
                "built by the Skaffold artifact at /repo/skaffold.yaml:5",
            ),
            (
                "registry.example/shop/web",
                "/repo/build/Dockerfile.prod",
                "built by the Skaffold artifact at /repo/skaffold.yaml:13",
            ),
            (
                "registry.example/shop/worker:dev",
                "/repo/deploy/worker/Containerfile",
                "built by the Compose service `worker` at /repo/deploy/compose.yaml:4",
            ),
            (
                "registry.example/simple",
                "/repo/simple/Dockerfile",
                "built by the Compose service `simple` at /repo/deploy/compose.yaml:18",
            ),
        ];
        let expected: Vec<(String, String, String)> = expected
            .iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
            .collect();
        assert_eq!(declared, expected);

        // A declaration beats the folder match, ignores the tag, and loses to the config.
        let sources = vec![
            dockerfile("/repo/deploy/worker/Containerfile", "FROM scratch\n"),
            dockerfile("/repo/worker/Dockerfile", "FROM scratch\n"),
        ];
        let worker = "registry.example/shop/worker:1.0";
        let mut mapping = ImageMapping {
            entries: build_declarations(&objects, std::slice::from_ref(&compose)),
        };
        let links = ImageLinks::new(&pods(&[worker]), sources.clone(), &mapping);
        assert_eq!(
            matches(&links, worker),
            ["/repo/deploy/worker/Containerfile"]
        );
        mapping.entries.insert(
            0,
            configured("registry.example/shop/worker", "/repo/worker/Dockerfile"),
        );
        let links = ImageLinks::new(&pods(&[worker]), sources, &mapping);
        assert_eq!(matches(&links, worker), ["/repo/worker/Dockerfile"]);
    }

    #[test]
    fn findings_on_a_source_name_the_containers_that_run_it() {
        let sources = vec![dockerfile("/src/api/Dockerfile", "FROM scratch\n")];
        let objects = pods(&["registry.example/api:1", "registry.example/api:2"]);
        let links = ImageLinks::new(&objects, sources, &ImageMapping::default());
        static META: rampart_core::RuleMeta = rampart_core::RuleMeta {
            code: "D999",
            name: "test",
            title: "test",
            severity: rampart_core::Severity::Low,
            layer: rampart_core::Layer::Container,
            concern: rampart_core::Concern::Images,
            references: rampart_core::References::NONE,
            equivalents: &[],
            doc: "",
        };
        let meta = &META;
        let at = |path: &str| Location {
            path: Arc::from(path),
            line: 1,
            column: 1,
            template: None,
        };
        let mut findings = vec![
            Finding::new(
                meta,
                "on the Dockerfile".into(),
                at("/src/api/Dockerfile"),
                None,
                "".into(),
            ),
            Finding::new(
                meta,
                "elsewhere".into(),
                at("/src/web/Dockerfile"),
                None,
                "".into(),
            ),
        ];
        links.name_runners(&mut findings);
        let runners: Vec<_> = findings[0]
            .evidence
            .iter()
            .map(|e| (e.label, e.value.as_str(), e.location.as_ref().unwrap().line))
            .collect();
        assert_eq!(
            runners,
            [
                ("run by", "Pod ns/p0, container c", 7),
                ("run by", "Pod ns/p1, container c", 14),
            ]
        );
        assert!(findings[1].evidence.is_empty());
    }
}
