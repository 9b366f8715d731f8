use std::borrow::Cow;
use std::sync::Arc;

use rampart_cloud::CloudModel;
use rampart_core::{
    Diagnostic, Evidence, Finding, FlowStep, Location, RuleMeta, Severity, Subject, Texts,
};
use rampart_graph::ImageLinks;
use rampart_image::Image;
use rampart_k8s::node::NodeModel;
use rampart_source::Inventory;

use crate::RuleOptions;

/// One problem a rule found in its target, for every kind of target: the offending field and
/// what is wrong with it. The kind (see [`Kind`]) turns it into a finding: the subject, the
/// location and the fingerprint come from the target, not from the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// JSON pointer to the field, relative to the target's document (where it belongs, if
    /// missing): `/spec/containers/0/securityContext/privileged`,
    /// `/stages/build/instructions/3`, `/config/User`. Empty where the place has no fields
    /// (a node's unit file, a file's mode).
    pub pointer: String,
    pub message: String,
    /// Overrides the rule's severity for this hit, for rules that rank what they find
    /// (a container runtime socket above a log directory).
    pub severity: Option<Severity>,
    /// The other objects and values that decide the hit (a policy, a peer, ports).
    pub evidence: Vec<Evidence>,
    /// What the fingerprint hashes instead of the kind's identity of the pointer, for
    /// inputs whose positions shift when they are rebuilt (an image's layers, its `Env`
    /// list: `files/root/.ssh/id_rsa`) or places without a pointer (a node's `--flag`, a
    /// file's `mode`).
    pub identity: Option<String>,
    /// For a target made of several files (a node; a module tree, a source tree): the file
    /// and the position in it. A finding that follows data through code will carry its
    /// steps the same way, as a list of places.
    pub place: Option<Place>,
    /// The advisory and package of a vulnerability rule's hit.
    pub vulnerability: Option<Arc<rampart_core::Vulnerability>>,
    /// For a finding that follows data through code: the steps from source to sink.
    pub flow: Option<Box<[FlowStep]>>,
}

/// A position in one of the files of a target made of several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file, as the target names it (a path on the node, not where the node is mounted).
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Hit {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Hit {
        Hit {
            pointer: pointer.into(),
            message: message.into(),
            severity: None,
            evidence: Vec::new(),
            identity: None,
            place: None,
            vulnerability: None,
            flow: None,
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

    pub fn with_flow(mut self, flow: Vec<FlowStep>) -> Hit {
        self.flow = Some(flow.into_boxed_slice());
        self
    }

    pub fn at(mut self, place: impl Into<Place>) -> Hit {
        self.place = Some(place.into());
        self
    }
}

/// A check of one target of kind `K`, as the registry holds it. Rules are stateless and run
/// in parallel over their targets.
pub trait RuleOf<K: Kind>: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, target: &K::Target<'_>, hits: &mut Vec<Hit>);
    /// Whether the rule reads the content of the file at `path` of its input (relative to an
    /// image's root): readers that stream an input keep a bounded head of such files only.
    fn reads_content(&self, path: &str) -> bool;
}

/// What a rule's file implements; [`declare_rule!`] supplies the metadata that makes it a
/// [`RuleOf<K>`].
pub(crate) trait Check<K: Kind> {
    fn check(&self, target: &K::Target<'_>, hits: &mut Vec<Hit>);
    fn reads_content(&self, _path: &str) -> bool {
        false
    }
}

/// A rule's metadata, implemented by [`declare_rule!`].
pub(crate) trait HasMeta {
    /// A reference rather than a value: `&T::META` of a generic `T` would not be `'static`.
    const META: &'static RuleMeta;
}

impl<K: Kind, T: Check<K> + HasMeta + Send + Sync> RuleOf<K> for T {
    fn meta(&self) -> &'static RuleMeta {
        T::META
    }

    fn check(&self, target: &K::Target<'_>, hits: &mut Vec<Hit>) {
        Check::check(self, target, hits);
    }

    fn reads_content(&self, path: &str) -> bool {
        Check::reads_content(self, path)
    }
}

/// Declares a rule's unit struct and its metadata, taking the doc comment as documentation;
/// the rule file then implements [`Check`] for the kind it reads:
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

/// A kind of input that rules read (Kubernetes objects, Dockerfiles, images, nodes): what its
/// rules look at, where a scan holds its inputs, and how a hit on one becomes a finding.
/// Adding a kind is a type implementing this, and rules implementing `Check<ThatKind>` listed
/// in the registry: the engine, the fixtures test and the report writers do not change.
pub trait Kind: Sized + 'static {
    /// What the kind's rules read: one input, with what is worth computing once for all
    /// rules.
    type Target<'a>: Sync;

    /// Runs `rules` over each of the kind's inputs among `inputs`, one target at a time
    /// through [`check`](crate::check), in parallel; with the problems found in the inputs.
    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<Self>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>);

    /// What the finding of `hit` is about, shared by every finding on it; the fingerprint
    /// hashes its identity.
    fn subject(target: &Self::Target<'_>, hit: &Hit) -> Arc<Subject>;

    /// Where `hit` is: its pointer (or place) resolved in the target's file.
    fn location(target: &Self::Target<'_>, hit: &Hit) -> Location;

    /// What the fingerprint hashes for `pointer` when the hit names no identity of its own:
    /// something that survives edits elsewhere in the input.
    fn field_identity<'t>(target: &'t Self::Target<'_>, pointer: &'t str) -> Cow<'t, str>;
}

/// Everything one run of the rules reads: the inputs of every kind.
pub struct Inputs<'a> {
    pub inventory: &'a Inventory,
    /// The workloads' images matched to the Dockerfiles and images that make them.
    pub links: &'a ImageLinks,
    pub nodes: &'a [NodeModel],
    pub images: &'a [ImageInput<'a>],
    /// The cloud resources read (Terraform, plans, CloudFormation), joined.
    pub cloud: &'a CloudModel,
    /// The vulnerability database the package rules consult; `None` when the scan has none.
    pub advisories: Option<&'a dyn crate::Advisories>,
}

/// An image to check, and how findings name it (its path or reference).
pub struct ImageInput<'a> {
    pub image: &'a Image,
    pub shown: &'a str,
}
