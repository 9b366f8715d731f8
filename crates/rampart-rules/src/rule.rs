use rampart_core::{Evidence, RuleMeta, Severity};
use rampart_image::{FileSystem, Image};
use rampart_k8s::node::{NodeModel, Origin};
use rampart_k8s::{ClusterIndex, PodTemplate};
use rampart_source::{Dockerfile, Instruction, Object};

use crate::RuleOptions;

/// What a rule looks at: one object, with what is worth computing once for all rules.
pub struct Target<'a> {
    pub object: &'a Object,
    /// The pod template, when the object runs pods.
    pub pod: Option<PodTemplate<'a>>,
    /// The other objects of the scan, for rules that look across objects.
    pub cluster: &'a ClusterIndex<'a>,
    pub options: &'a RuleOptions,
}

/// One problem a rule found in a target: the offending field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// JSON pointer to the field, relative to the object (where it belongs, if missing).
    pub pointer: String,
    pub message: String,
    /// Overrides the rule's severity for this hit, for rules that rank what they find
    /// (a container runtime socket above a log directory).
    pub severity: Option<Severity>,
    /// The other objects and values that decide the hit (a policy, a peer, ports).
    pub evidence: Vec<Evidence>,
    /// What the fingerprint hashes instead of the pointer, for inputs whose positions shift
    /// when they are rebuilt (an image's layers, its `Env` list): `files/root/.ssh/id_rsa`.
    pub identity: Option<String>,
}

impl Hit {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Hit {
        Hit {
            pointer: pointer.into(),
            message: message.into(),
            severity: None,
            evidence: Vec::new(),
            identity: None,
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Hit {
        self.severity = Some(severity);
        self
    }

    pub fn with_evidence(mut self, evidence: Vec<Evidence>) -> Hit {
        self.evidence = evidence;
        self
    }

    pub fn with_identity(mut self, identity: impl Into<String>) -> Hit {
        self.identity = Some(identity.into());
        self
    }
}

/// A registered rule, by the kind of input it reads. Rules are stateless and run in parallel
/// over their inputs.
#[derive(Clone, Copy)]
pub enum Rule {
    /// Reads Dockerfiles, one at a time.
    Dockerfile(&'static dyn DockerfileRule),
    /// Reads container images: configuration and layers, one image at a time.
    Image(&'static dyn ImageRule),
    /// Reads Kubernetes objects, one at a time (with the rest of the scan at hand).
    Object(&'static dyn ObjectRule),
    /// Reads a node: its kubelet's effective configuration and the modes and owners of its
    /// files.
    Node(&'static dyn NodeRule),
}

impl Rule {
    pub fn meta(self) -> &'static RuleMeta {
        match self {
            Rule::Dockerfile(rule) => rule.meta(),
            Rule::Image(rule) => rule.meta(),
            Rule::Object(rule) => rule.meta(),
            Rule::Node(rule) => rule.meta(),
        }
    }

    /// The rule, when it reads Kubernetes objects.
    pub fn as_object(self) -> Option<&'static dyn ObjectRule> {
        match self {
            Rule::Object(rule) => Some(rule),
            Rule::Dockerfile(_) | Rule::Image(_) | Rule::Node(_) => None,
        }
    }

    /// The rule, when it reads nodes.
    pub fn as_node(self) -> Option<&'static dyn NodeRule> {
        match self {
            Rule::Node(rule) => Some(rule),
            Rule::Dockerfile(_) | Rule::Image(_) | Rule::Object(_) => None,
        }
    }

    /// The rule, when it reads images.
    pub fn as_image(self) -> Option<&'static dyn ImageRule> {
        match self {
            Rule::Image(rule) => Some(rule),
            Rule::Dockerfile(_) | Rule::Object(_) | Rule::Node(_) => None,
        }
    }

    /// The rule, when it reads Dockerfiles.
    pub fn as_dockerfile(self) -> Option<&'static dyn DockerfileRule> {
        match self {
            Rule::Dockerfile(rule) => Some(rule),
            Rule::Image(_) | Rule::Object(_) | Rule::Node(_) => None,
        }
    }
}

/// What a Dockerfile rule looks at.
pub struct DockerfileTarget<'a> {
    pub dockerfile: &'a Dockerfile,
    pub options: &'a RuleOptions,
}

/// One problem a Dockerfile rule found: the instruction and what is wrong with it.
#[derive(Debug, Clone)]
pub struct DockerfileHit<'a> {
    /// The offending instruction (for something missing from a stage, its `FROM`).
    pub instruction: &'a Instruction,
    pub message: String,
}

impl<'a> DockerfileHit<'a> {
    pub fn new(instruction: &'a Instruction, message: impl Into<String>) -> DockerfileHit<'a> {
        DockerfileHit {
            instruction,
            message: message.into(),
        }
    }
}

/// A check of one Dockerfile.
pub trait DockerfileRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check<'a>(&self, target: &DockerfileTarget<'a>, hits: &mut Vec<DockerfileHit<'a>>);
}

/// What a Dockerfile rule's file implements; [`declare_rule!`] supplies the metadata that
/// makes it a [`DockerfileRule`].
pub(crate) trait DockerfileCheck {
    fn check<'a>(&self, target: &DockerfileTarget<'a>, hits: &mut Vec<DockerfileHit<'a>>);
}

impl<T: DockerfileCheck + HasMeta + Send + Sync> DockerfileRule for T {
    fn meta(&self) -> &'static RuleMeta {
        T::META
    }

    fn check<'a>(&self, target: &DockerfileTarget<'a>, hits: &mut Vec<DockerfileHit<'a>>) {
        DockerfileCheck::check(self, target, hits);
    }
}

/// A check of one Kubernetes object.
pub trait ObjectRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>);
}

/// What an object rule's file implements; [`declare_rule!`] supplies the metadata that makes
/// it an [`ObjectRule`].
pub(crate) trait Check {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>);
}

/// A rule's metadata, implemented by [`declare_rule!`].
pub(crate) trait HasMeta {
    /// A reference rather than a value: `&T::META` of a generic `T` would not be `'static`.
    const META: &'static RuleMeta;
}

impl<T: Check + HasMeta + Send + Sync> ObjectRule for T {
    fn meta(&self) -> &'static RuleMeta {
        T::META
    }

    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Check::check(self, target, hits);
    }
}

/// What a node rule looks at: one node, read once for all rules.
pub struct NodeTarget<'a> {
    pub node: &'a NodeModel,
    pub options: &'a RuleOptions,
}

/// One problem a node rule found: where it is (the line that sets the value, or the file
/// whose mode is wrong), what it is about, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeHit {
    /// A place in a file on the node.
    pub at: Origin,
    /// JSON pointer to the field in the document at `at`, where that document is a
    /// `KubeletConfiguration`; empty for a unit file, a command line or the file itself.
    pub pointer: String,
    /// What the finding is about: a setting (its `KubeletConfiguration` field as a JSON
    /// pointer, or `--flag` for a flag without a field), or `mode` or `owner` of the file.
    /// With the rule and the file, it is the finding's identity.
    pub subject: String,
    pub message: String,
    /// Overrides the rule's severity, for rules that rank what they find.
    pub severity: Option<Severity>,
}

/// A check of a node.
pub trait NodeRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<NodeHit>);
}

/// What a node rule's file implements; [`declare_rule!`] supplies the metadata that makes it a
/// [`NodeRule`].
pub(crate) trait CheckNode {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<NodeHit>);
}

impl<T: CheckNode + HasMeta + Send + Sync> NodeRule for T {
    fn meta(&self) -> &'static RuleMeta {
        T::META
    }

    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<NodeHit>) {
        CheckNode::check(self, target, hits);
    }
}

/// What an image rule looks at: one image, its final filesystem computed once for all rules.
pub struct ImageTarget<'a> {
    pub image: &'a Image,
    /// The layers applied in order, with what became of every entry.
    pub files: &'a FileSystem,
    pub options: &'a RuleOptions,
}

/// A check of one container image. Hits point into the image configuration
/// (`/config/User`, `/history/3/created_by`) or at a file of a layer (`/layers/2/etc/shadow`,
/// the layer's position in the manifest, then the path).
pub trait ImageRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>);
    /// Whether the rule reads the content of the regular file at `path` (relative to the
    /// image root); the reader keeps a bounded head of such files only.
    fn reads_content(&self, path: &str) -> bool;
}

/// What an image rule's file implements; [`declare_rule!`] supplies the metadata.
pub(crate) trait ImageCheck {
    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>);
    fn reads_content(&self, _path: &str) -> bool {
        false
    }
}

impl<T: ImageCheck + HasMeta + Send + Sync> ImageRule for T {
    fn meta(&self) -> &'static RuleMeta {
        T::META
    }

    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>) {
        ImageCheck::check(self, target, hits);
    }

    fn reads_content(&self, path: &str) -> bool {
        ImageCheck::reads_content(self, path)
    }
}

/// Declares a rule's unit struct and its metadata, taking the doc comment as documentation;
/// the rule file then implements [`Check`] (or [`CheckNode`]):
///
/// ```text
/// declare_rule! {
///     /// ## What it checks
///     /// ...
///     pub struct PrivilegedContainer {
///         code: "K101",
///         name: "privileged-container",
///         ...
///     }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $rule:ident {
            $($field:ident: $value:expr),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $rule;

        impl $crate::rule::HasMeta for $rule {
            const META: &'static rampart_core::RuleMeta = &rampart_core::RuleMeta {
                doc: concat!($($doc, "\n"),*),
                $($field: $value),*
            };
        }
    };
}
pub(crate) use declare_rule;
