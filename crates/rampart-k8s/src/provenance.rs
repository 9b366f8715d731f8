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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rampart_core::{Evidence, Finding, Location, ScanError};
use rampart_source::{Base, ComposeFile, Dockerfile, Node, Object, normalise};

use crate::workload::pod_template;
use rampart_core::ImageRef;

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
    /// Reads an image's `User` (a Dockerfile's `USER`) as containerd and CRI-O do.
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

impl RuntimeUser {
    /// Whether containers start as uid 0: no user, uid 0, `root`, or a name that
    /// `uid_of_name` (the image's `/etc/passwd`, when read) maps to 0. `None` for another
    /// name `uid_of_name` does not know.
    pub fn is_root(&self, uid_of_name: impl FnOnce(&str) -> Option<u32>) -> Option<bool> {
        match self {
            RuntimeUser::Unset => Some(true),
            RuntimeUser::Uid(uid) => Some(*uid == 0),
            RuntimeUser::Name(name) if name == "root" => Some(true),
            RuntimeUser::Name(name) => uid_of_name(name).map(|uid| uid == 0),
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
    /// How a build file builds it; the default for `[images]`.
    pub build: Build,
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

/// The Dockerfiles that Skaffold configurations (`build.artifacts`, also in profiles; the
/// `docker` and `kaniko` builders) and Compose files (services with both `image` and `build`)
/// say build which images, with the stage they target and the build arguments they set.
/// Artifacts built without a Dockerfile (Jib, Bazel, Buildpacks, ko, custom), inline
/// Dockerfiles and remote build contexts declare none. A declaration with a field of the wrong
/// type is an error at its line, and not used.
pub fn build_declarations(
    objects: &[Object],
    compose_files: &[ComposeFile],
) -> (Vec<Declared>, Vec<ScanError>) {
    let mut declared = Vec::new();
    let mut errors = Vec::new();
    let mut judge = |spec: Result<Option<(&str, BuildSpec<'_>)>, String>,
                     folder: &Path,
                     what: &str,
                     at: Location| match spec {
        Ok(spec) => {
            declared.extend(spec.and_then(|(image, spec)| spec.declare(image, folder, what, at)))
        }
        Err(problem) => errors.push(ScanError {
            path: at.path.to_string(),
            line: Some(at.line),
            message: format!("{what}: {problem}; not used to match images to Dockerfiles"),
        }),
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
                    object.subject().label(),
                    container.name()
                ),
                at: object.location(object.span_at(&format!("{}/image", container.pointer))),
            });
        }
    }
    runners
}

/// How one reference was matched.
#[derive(Default)]
struct Matching {
    links: Vec<Link>,
    missing: Vec<Declared>,
    tied: Vec<usize>,
}

/// The sources of the scan and the workloads' image references matched to them.
#[derive(Debug, Default)]
pub struct ImageLinks {
    sources: Vec<ImageSource>,
    by_reference: HashMap<String, Vec<Link>>,
    /// References left without a Dockerfile because several match their folders equally.
    tied: HashMap<String, Vec<usize>>,
    /// What was declared for a reference but is not in the scan.
    missing: HashMap<String, Vec<Declared>>,
    /// For each source, the containers that run it.
    runners: Vec<Vec<Runner>>,
}

impl ImageLinks {
    /// Matches every image reference of the `objects`' pods to `sources`. Folder matching
    /// reads a Dockerfile's path from the scanned folder of `roots` holding it (that folder's
    /// name included), so where the scan is checked out does not change the result.
    pub fn new(
        objects: &[Object],
        sources: Vec<ImageSource>,
        mapping: &ImageMapping,
        roots: &[PathBuf],
    ) -> ImageLinks {
        let mut links = ImageLinks {
            runners: vec![Vec::new(); sources.len()],
            sources,
            by_reference: HashMap::new(),
            tied: HashMap::new(),
            missing: HashMap::new(),
        };
        if links.sources.is_empty() {
            return links;
        }
        // A Dockerfile declared for one repository is not guessed for another.
        let claimed: HashSet<&PathBuf> = mapping.entries.iter().map(|entry| &entry.file).collect();
        let folders = FolderIndex::new(&links.sources, roots, &claimed);
        for (reference, runners) in runners_by_image(objects) {
            let matching = links.match_reference(reference, mapping, &folders);
            for link in &matching.links {
                links.runners[link.source].extend(runners.iter().cloned());
            }
            links
                .by_reference
                .insert(reference.to_owned(), matching.links);
            if !matching.tied.is_empty() {
                links.tied.insert(reference.to_owned(), matching.tied);
            }
            if !matching.missing.is_empty() {
                links.missing.insert(reference.to_owned(), matching.missing);
            }
        }
        links
    }

    /// The sources of `reference`, most trusted first within each kind (images, then
    /// Dockerfiles); what was declared for it but is not in the scan; the Dockerfiles that
    /// match its folders equally well, when that leaves it without one.
    fn match_reference(
        &self,
        reference: &str,
        mapping: &ImageMapping,
        folders: &FolderIndex,
    ) -> Matching {
        let mut matching = Matching::default();
        let Ok(wanted) = ImageRef::parse(reference) else {
            return matching;
        };
        let selected = mapping
            .entries
            .iter()
            .filter(|entry| entry.selects(&wanted));
        // The configuration overrides what build files say.
        let configured = selected
            .clone()
            .any(|entry| entry.matched == Matched::Configured);
        let trusted: Vec<&Declared> = selected
            .filter(|entry| !configured || entry.matched == Matched::Configured)
            .collect();
        // (rank, link): declarations in their order of trust, then names, then folders.
        let mut found: Vec<(usize, Link)> = Vec::new();
        for (rank, entry) in trusted.iter().enumerate() {
            let before = found.len();
            for (index, source) in self.sources.iter().enumerate() {
                let builds_it = source.file.as_ref() == Some(&entry.file)
                    && (source.kind == SourceKind::Image || source.build == entry.build);
                if builds_it && !found.iter().any(|(_, link)| link.source == index) {
                    let matched = entry.matched.clone();
                    found.push((
                        rank,
                        Link {
                            source: index,
                            matched,
                        },
                    ));
                }
            }
            if found.len() == before {
                matching.missing.push((*entry).clone());
            }
        }
        for (index, source) in self.sources.iter().enumerate() {
            let named = source.kind == SourceKind::Image && same_image(source, &wanted);
            if named && !found.iter().any(|(_, link)| link.source == index) {
                let link = Link {
                    source: index,
                    matched: Matched::Name,
                };
                found.push((trusted.len(), link));
            }
        }
        let has_dockerfile = found
            .iter()
            .any(|(_, link)| self.sources[link.source].kind == SourceKind::Dockerfile);
        if !has_dockerfile && trusted.is_empty() {
            match folders.best(&wanted.repository()) {
                Some(Ok((source, folders))) => {
                    let link = Link {
                        source,
                        matched: Matched::Folders(folders),
                    };
                    found.push((usize::MAX, link));
                }
                Some(Err(sources)) => matching.tied = sources,
                None => {}
            }
        }
        found.sort_by_key(|(rank, link)| {
            let kind = self.sources[link.source].kind;
            (kind == SourceKind::Dockerfile, *rank, link.source)
        });
        matching.links = found.into_iter().map(|(_, link)| link).collect();
        matching
    }

    /// The sources matched to `reference`, images first.
    pub fn sources_of(&self, reference: &str) -> impl Iterator<Item = (&ImageSource, &Link)> {
        self.by_reference
            .get(reference)
            .into_iter()
            .flatten()
            .map(|link| (&self.sources[link.source], link))
    }

    /// What `[images]` or a build file declares for `reference` but the scan does not hold.
    pub fn missing(&self, reference: &str) -> &[Declared] {
        self.missing.get(reference).map_or(&[], Vec::as_slice)
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

    /// Adds to each finding on a Dockerfile or image the containers that run it (of every
    /// image or stage read from that file: an archive can hold several tags).
    pub fn name_runners(&self, findings: &mut [Finding]) {
        let mut by_shown: HashMap<&str, Vec<&Runner>> = HashMap::new();
        for (source, runners) in self.sources.iter().zip(&self.runners) {
            if !runners.is_empty() {
                by_shown.entry(&source.shown).or_default().extend(runners);
            }
        }
        if by_shown.is_empty() {
            return;
        }
        for finding in findings
            .iter_mut()
            .filter(|f| f.subject.platform.is_its_location())
        {
            let Some(runners) = by_shown.get(&*finding.location.path) else {
                continue;
            };
            finding
                .evidence
                .extend(runners.iter().map(|runner| Evidence {
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

/// Whether an image of the scan is the one `wanted` names: the same repository, one of its
/// digests when both sides know digests, the same tag when both give one.
fn same_image(source: &ImageSource, wanted: &ImageRef<'_>) -> bool {
    let Some(have) = source.name.as_deref().and_then(|n| ImageRef::parse(n).ok()) else {
        return false;
    };
    let mut digests = have
        .digest
        .into_iter()
        .chain(source.digests.iter().map(String::as_str));
    let knows_digests = have.digest.is_some() || !source.digests.is_empty();
    have.name() == wanted.name()
        && match wanted.digest {
            Some(wanted) if knows_digests => digests.any(|have| have == wanted),
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
    fn new(sources: &[ImageSource], roots: &[PathBuf], claimed: &HashSet<&PathBuf>) -> FolderIndex {
        let mut by_last: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
        for (index, source) in sources.iter().enumerate() {
            if source.kind != SourceKind::Dockerfile {
                continue;
            }
            let Some(file) = source.file.as_ref().filter(|file| !claimed.contains(file)) else {
                continue;
            };
            // The deepest scanned folder holding the file; its parent is where names start.
            let start = roots
                .iter()
                .filter(|root| file.starts_with(root))
                .max_by_key(|root| root.components().count())
                .and_then(|root| root.parent());
            let relative = start.and_then(|start| file.strip_prefix(start).ok());
            let components = stands_for(relative.unwrap_or(file));
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
            digests: digest.into_iter().map(str::to_owned).collect(),
            build: Build::default(),
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
            build: Build::default(),
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
        let links = ImageLinks::new(&pods(&references), sources, &ImageMapping::default(), &[]);
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
    fn folders_above_the_scanned_folder_do_not_count() {
        let matched_in = |checkout: &str| {
            let sources = vec![
                dockerfile(&format!("{checkout}/Dockerfile"), "FROM scratch\n"),
                dockerfile(
                    &format!("{checkout}/legacy/api/Dockerfile"),
                    "FROM scratch\n",
                ),
                dockerfile(&format!("{checkout}/web/Dockerfile"), "FROM scratch\n"),
            ];
            let references = ["registry.example/acme/api:1", "registry.example/acme/web:1"];
            let roots = [PathBuf::from(checkout)];
            let links = ImageLinks::new(
                &pods(&references),
                sources,
                &ImageMapping::default(),
                &roots,
            );
            let shown = |reference: &str| -> Vec<String> {
                matches(&links, reference)
                    .iter()
                    .map(|path| path.strip_prefix(checkout).unwrap().to_owned())
                    .collect()
            };
            (
                shown(references[0]),
                links.tied(references[0]).count(),
                shown(references[1]),
            )
        };
        // Checked out as `acme/api` or as `other/api`: the same answer, a tie between the
        // top-level Dockerfile (standing for `api`, the scanned folder) and `legacy/api`.
        let expected = (Vec::<String>::new(), 2, vec!["/web/Dockerfile".to_owned()]);
        assert_eq!(matched_in("/co/acme/api"), expected);
        assert_eq!(matched_in("/co/other/api"), expected);
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
        let links = ImageLinks::new(&pods(&references), sources, &ImageMapping::default(), &[]);
        let shown = |reference: &str| matches(&links, reference);
        assert_eq!(shown(references[0]), ["registry.example/shop/api:1.4"]);
        assert!(shown(references[1]).is_empty());
        assert_eq!(shown(references[2]), ["registry.example/shop/api:1.4"]);
        assert!(shown(references[3]).is_empty());
        // A pin names the index of a multi-platform image, which the image knows too.
        let index = format!("sha256:{}", "1".repeat(64));
        let mut multi = image("registry.example/shop/multi:2", "1000", Some(digest));
        multi.digests.push(index.clone());
        let multi_pin = format!("registry.example/shop/multi@{index}");
        let other_pin = format!("registry.example/shop/multi@sha256:{}", "2".repeat(64));
        let multi_links = ImageLinks::new(
            &pods(&[multi_pin.as_str(), other_pin.as_str()]),
            vec![multi],
            &ImageMapping::default(),
            &[],
        );
        assert_eq!(
            matches(&multi_links, &multi_pin),
            ["registry.example/shop/multi:2"]
        );
        assert!(matches(&multi_links, &other_pin).is_empty());
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
        let links = ImageLinks::new(&pods(&references), sources, &mapping, &[]);
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
        let (declared, errors) = build_declarations(&objects, std::slice::from_ref(&compose));
        assert!(errors.is_empty(), "{errors:?}");
        let declared: Vec<(String, String, String)> = declared
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
            entries: build_declarations(&objects, std::slice::from_ref(&compose)).0,
        };
        let links = ImageLinks::new(&pods(&[worker]), sources.clone(), &mapping, &[]);
        assert_eq!(
            matches(&links, worker),
            ["/repo/deploy/worker/Containerfile"]
        );
        mapping.entries.insert(
            0,
            configured("registry.example/shop/worker", "/repo/worker/Dockerfile"),
        );
        let links = ImageLinks::new(&pods(&[worker]), sources, &mapping, &[]);
        assert_eq!(matches(&links, worker), ["/repo/worker/Dockerfile"]);

        // Declared for one repository, a Dockerfile is not guessed for another of the same
        // last name.
        let only = vec![dockerfile("/repo/worker/Dockerfile", "FROM scratch\n")];
        let other = "registry.example/other/worker:1";
        let unclaimed =
            ImageLinks::new(&pods(&[other]), only.clone(), &ImageMapping::default(), &[]);
        assert_eq!(matches(&unclaimed, other), ["/repo/worker/Dockerfile"]);
        let claimed = ImageLinks::new(&pods(&[other]), only, &mapping, &[]);
        assert!(matches(&claimed, other).is_empty());
    }

    #[test]
    fn builds_carry_their_target_and_arguments_and_malformed_ones_are_errors() {
        let skaffold = r#"
apiVersion: skaffold/v4beta11
kind: Config
build:
  artifacts:
    - image: registry.example/kaniko
      context: svc
      kaniko: {dockerfile: build/Dockerfile.k, target: Runtime}
    - image: registry.example/docker
      docker: {buildArgs: {UID: "10001"}}
    - image: registry.example/typo
      context: 5
    - image: registry.example/both
      docker: {}
      kaniko: {}
"#;
        let (objects, errors) = parse_text("/repo/skaffold.yaml", skaffold, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let compose = r#"
services:
  listed:
    image: registry.example/listed
    build: {context: app, target: prod, args: ["UID=10001", "DEBUG"]}
  number:
    image: registry.example/number
    build: 42
  remote:
    image: registry.example/remote
    build: github.com/acme/app
  dockerfile-number:
    image: registry.example/dockerfile-number
    build: {dockerfile: 7}
"#;
        let (mut documents, _) = rampart_source::parse_stream(compose, &Limits::default());
        let compose = ComposeFile {
            path: Arc::from("/repo/compose.yaml"),
            root: documents.remove(0).root,
        };
        let (declared, errors) = build_declarations(&objects, std::slice::from_ref(&compose));
        let declared: Vec<(String, String, Build)> = declared
            .into_iter()
            .map(|d| (d.reference, d.file.display().to_string(), d.build))
            .collect();
        let build = |target: Option<&str>, args: &[&str]| Build {
            target: target.map(str::to_owned),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        };
        assert_eq!(
            declared,
            [
                (
                    "registry.example/kaniko".to_owned(),
                    "/repo/svc/build/Dockerfile.k".to_owned(),
                    build(Some("runtime"), &[])
                ),
                (
                    "registry.example/docker".to_owned(),
                    "/repo/Dockerfile".to_owned(),
                    build(None, &["UID"])
                ),
                (
                    "registry.example/listed".to_owned(),
                    "/repo/app/Dockerfile".to_owned(),
                    build(Some("prod"), &["UID", "DEBUG"])
                ),
            ]
        );
        let errors: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{} {}", e.path, e.line.unwrap(), e.message))
            .collect();
        let unused = "not used to match images to Dockerfiles";
        assert_eq!(
            errors,
            [
                format!(
                    "/repo/skaffold.yaml:11 Skaffold artifact: `context` must be a string; {unused}"
                ),
                format!(
                    "/repo/skaffold.yaml:13 Skaffold artifact: sets both `docker` and `kaniko`; {unused}"
                ),
                format!(
                    "/repo/compose.yaml:8 Compose service `number`: `build` must be a path or a mapping; {unused}"
                ),
                format!(
                    "/repo/compose.yaml:14 Compose service `dockerfile-number`: `dockerfile` must be a string; {unused}"
                ),
            ]
        );

        // The stage a build targets decides the user, and an argument it sets makes a
        // `USER $UID` unknown.
        let text = "FROM debian:12 AS prod\nARG UID=0\nUSER $UID\nFROM prod AS debug\nUSER root\n";
        let (parsed, _) = parse_dockerfile("/repo/app/Dockerfile", text);
        let parsed = parsed.unwrap();
        let user = |build: &Build| ImageSource::of_build(&parsed, build).map(|s| s.user.configured);
        assert_eq!(user(&Build::default()), Some(Some("root".to_owned())));
        assert_eq!(user(&build(Some("prod"), &[])), Some(Some("0".to_owned())));
        assert_eq!(user(&build(Some("prod"), &["UID"])), Some(None));
        assert_eq!(
            user(&build(Some("prod"), &["UIDX"])),
            Some(Some("0".to_owned()))
        );
        assert_eq!(user(&build(Some("missing"), &[])), None);
    }

    #[test]
    fn declarations_without_a_source_are_kept_as_missing() {
        let mapping = ImageMapping {
            entries: vec![configured("registry.example/api", "/gone/Dockerfile")],
        };
        let sources = vec![dockerfile("/src/api/Dockerfile", "FROM scratch\n")];
        let reference = "registry.example/api:1";
        let links = ImageLinks::new(&pods(&[reference]), sources, &mapping, &[]);
        // The configuration names a file the scan does not hold, and folder matching does not
        // second-guess it.
        assert!(matches(&links, reference).is_empty());
        let missing: Vec<String> = links
            .missing(reference)
            .iter()
            .map(|d| d.file.display().to_string())
            .collect();
        assert_eq!(missing, ["/gone/Dockerfile"]);
    }

    #[test]
    fn findings_on_a_source_name_the_containers_that_run_it() {
        let sources = vec![dockerfile("/src/api/Dockerfile", "FROM scratch\n")];
        let objects = pods(&["registry.example/api:1", "registry.example/api:2"]);
        let links = ImageLinks::new(&objects, sources, &ImageMapping::default(), &[]);
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
        let at = |path: &str| Location::new(Arc::from(path), 1, 1);
        let mut findings = vec![
            Finding::new(
                meta,
                "on the Dockerfile".into(),
                at("/src/api/Dockerfile"),
                Arc::new(rampart_core::Subject::dockerfile("src/api/Dockerfile")),
                "".into(),
            ),
            Finding::new(
                meta,
                "elsewhere".into(),
                at("/src/web/Dockerfile"),
                Arc::new(rampart_core::Subject::dockerfile("src/web/Dockerfile")),
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
