use std::borrow::Cow;
use std::sync::Arc;

use rampart_core::{Diagnostic, Finding, Location, Subject, Texts};
use rampart_k8s::node::{NodeModel, Origin};

use crate::checking::{check, each};
use crate::{Hit, Inputs, Kind, Place, RuleOf, RuleOptions};

/// Nodes: a kubelet's effective configuration and the modes and owners of the node's files.
pub struct Nodes;

/// What a node rule looks at: one node, read once for all rules. Hits name the file and line
/// they are about ([`Hit::at`]), and what in it: a setting (its `KubeletConfiguration` field
/// as a JSON pointer, or `--flag` for a flag without a field), or `mode` or `owner` of the
/// file, as their identity.
pub struct NodeTarget<'a> {
    pub node: &'a NodeModel,
    pub options: &'a RuleOptions,
}

impl From<Origin> for Place {
    fn from(origin: Origin) -> Place {
        Place {
            path: origin.path,
            line: origin.line,
            column: origin.column,
        }
    }
}

impl Kind for Nodes {
    type Target<'a> = NodeTarget<'a>;

    /// The node's files that could not be read or understood are its errors.
    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<Nodes>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        each(inputs.nodes, |node| {
            let target = NodeTarget { node, options };
            (check(&target, rules, texts), node.errors.clone())
        })
    }

    /// The file by its path on the node, not where the node is mounted.
    fn subject(_target: &NodeTarget<'_>, hit: &Hit) -> Arc<Subject> {
        let path = hit.place.as_ref().map_or("", |place| place.path.as_str());
        Arc::new(Subject::node_file(path))
    }

    /// The file as the scan reached it (under where the node is mounted).
    fn location(target: &NodeTarget<'_>, hit: &Hit) -> Location {
        let (path, line, column) = hit.place.as_ref().map_or(("", 0, 0), |place| {
            (place.path.as_str(), place.line, place.column)
        });
        Location::new(Arc::from(target.node.shown(path)), line, column)
    }

    fn field_identity<'t>(_target: &'t NodeTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(pointer)
    }
}
