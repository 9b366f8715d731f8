use std::borrow::Cow;
use std::sync::Arc;

use rampart_core::{Finding, Location, ScanError, Subject, Texts};
use rampart_graph::ImageLinks;
use rampart_k8s::node::NodeModel;
use rampart_source::Inventory;

use crate::{Hit, ImageInput, RuleOf, RuleOptions};

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
    ) -> (Vec<Finding>, Vec<ScanError>);

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
}
