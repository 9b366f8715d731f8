//! Node placement: on which nodes the scheduler may run each workload's pods, and so which
//! workloads can end up on the same node.
//!
//! A pod fits a node when the node meets its `nodeName`, `nodeSelector` and required node
//! affinity (one term of `nodeSelectorTerms`, every requirement of it), and the pod tolerates
//! each of the node's `NoSchedule` and `NoExecute` taints (with the tolerations the control
//! plane adds by itself). Two workloads can share a node unless a required pod anti-affinity
//! on `kubernetes.io/hostname` keeps them apart, and:
//! - when the input holds Node objects, some node fits both;
//! - without Nodes, nodes can be labelled and tainted at will, so only requirements that no
//!   one node can meet together (`zone In [a]` beside `zone In [b]`) keep them apart.
//!
//! Preferred (soft) affinities never keep pods apart; required pod affinity is not read (it
//! only narrows where a pod goes, so ignoring it may report a pair the scheduler would never
//! place together, never the reverse).

mod selector;
mod taints;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use rampart_core::{Evidence, Location};
use rampart_source::{Node, Object, push_pointer};

pub use selector::{NodeKey, NodeRequirement, Operator, is_label_value, satisfiable};
pub use taints::{Effect, Taint, Toleration};

use crate::netpol::{Labels, Reporter, Topology, topology};
use crate::pss::{Level, Version, evaluate};
use crate::rbac::LabelSelector;
use crate::workload::{PodTemplate, pod_template};
use rampart_core::Diagnostic;

/// The label every node carries with its own name; anti-affinity on it means "not on the same
/// node".
pub const HOSTNAME_LABEL: &str = "kubernetes.io/hostname";

/// Where a pod may run: a node must meet every requirement of at least one term. No term at
/// all: no node fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeConstraint {
    pub terms: Vec<Vec<NodeRequirement>>,
}

impl NodeConstraint {
    /// A constraint every node meets.
    pub fn anywhere() -> NodeConstraint {
        NodeConstraint {
            terms: vec![Vec::new()],
        }
    }

    pub fn matches(&self, labels: &[(String, String)], name: &str) -> bool {
        self.terms
            .iter()
            .any(|term| term.iter().all(|r| r.matches(labels, name)))
    }

    /// Whether some node could meet both constraints.
    pub fn compatible(&self, other: &NodeConstraint) -> bool {
        self.terms
            .iter()
            .any(|a| other.terms.iter().any(|b| satisfiable(a.iter().chain(b))))
    }
}

/// Pods a required anti-affinity term keeps off the node.
#[derive(Debug, Clone)]
struct AntiAffinity {
    /// `None`: a null `labelSelector`, which matches no pod.
    selector: Option<LabelSelector>,
    /// Listed namespaces; with `namespace_selector`, their union.
    namespaces: Vec<String>,
    namespace_selector: Option<LabelSelector>,
}

impl AntiAffinity {
    /// Whether the term, on a pod of `own_namespace`, repels `other`.
    fn repels(&self, own_namespace: &str, other: &Workload, topology: &Topology) -> bool {
        let Some(selector) = &self.selector else {
            return false;
        };
        let in_scope = if self.namespaces.is_empty() && self.namespace_selector.is_none() {
            other.namespace == own_namespace
        } else {
            self.namespaces.contains(&other.namespace)
                || self
                    .namespace_selector
                    .as_ref()
                    .is_some_and(|s| s.matches(&topology.namespace_labels(&other.namespace)))
        };
        in_scope && selector.matches(&other.labels)
    }
}

/// One workload (or bare pod) and where its pods may run.
#[derive(Debug, Clone)]
pub struct Workload {
    /// The object's index in the scan.
    pub object: usize,
    /// Where the object starts.
    pub location: Location,
    pub namespace: String,
    pub name: String,
    /// `Deployment`, `DaemonSet`, … or `Pod`.
    pub kind: String,
    /// The pod template's labels.
    pub labels: Labels,
    /// The labels of the object itself (the workload's, for a controller).
    pub object_labels: Labels,
    pub constraint: NodeConstraint,
    /// Its own tolerations and those the control plane adds.
    pub tolerations: Vec<Toleration>,
    /// The pod names its node (`nodeName`): the scheduler is skipped, and the kubelet only
    /// turns it away for `NoExecute` taints.
    pub named_node: bool,
    anti_affinity: Vec<AntiAffinity>,
    /// Why the pods can reach into their node: the Pod Security Standards Baseline controls
    /// they break (upstream's reasons, e.g. `privileged`, `hostPath volumes`).
    pub host_access: Vec<String>,
}

impl Workload {
    /// `namespace/name[Kind]`, as connection lists name peers.
    pub fn display_name(&self) -> String {
        format!("{}/{}[{}]", self.namespace, self.name, self.kind)
    }

    /// Evidence naming the workload, at its object.
    pub fn evidence(&self, label: &'static str) -> Evidence {
        Evidence {
            label,
            value: self.display_name(),
            location: Some(self.location.clone()),
        }
    }
}

impl NodeInfo {
    /// Evidence naming the node, at its object.
    pub fn evidence(&self) -> Evidence {
        Evidence {
            label: "node",
            value: format!("Node {}", self.name),
            location: Some(self.location.clone()),
        }
    }
}

/// A node of the input.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub name: String,
    /// Where the Node object starts.
    pub location: Location,
    pub labels: Labels,
    pub taints: Vec<Taint>,
}

/// Why two workloads can share a node.
#[derive(Debug, Clone, Copy)]
pub enum Colocation<'p> {
    /// Both fit this node of the input.
    Node(&'p NodeInfo),
    /// The input has no Node objects and nothing in the two pod specs keeps them apart.
    Unconstrained,
}

/// The workloads and nodes of one scan.
#[derive(Debug, Default)]
pub struct Placement {
    pub workloads: Vec<Workload>,
    pub nodes: Vec<NodeInfo>,
    topology: Topology,
    /// Workload index by the index of its object in the scan.
    by_object: HashMap<usize, usize>,
}

fn labels_of(node: Option<&Node>) -> Labels {
    node.map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key.to_string(), e.value.as_str()?.to_owned())))
        .collect()
}

impl Placement {
    /// Reads workloads and nodes; malformed selectors, affinities, tolerations and taints
    /// become diagnostics (errors) and are left out.
    pub fn new(objects: &[Object]) -> (Placement, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        // Named-port problems are the network policy analysis's to report.
        let topology = topology(objects, &mut Vec::new());
        let mut placement = Placement::default();
        for pod in &topology.pods {
            let Some(index) = pod.object else {
                continue;
            };
            let object = &objects[index];
            let Some(template) = pod_template(object) else {
                continue;
            };
            let mut reporter = Reporter::new(object, &mut diagnostics);
            let spec = template.spec;
            let at = |field: &str| push_pointer(template.spec_pointer, field);
            let host_network = spec.get("hostNetwork").and_then(Node::as_bool) == Some(true);
            let mut tolerations = Toleration::implied_for(pod.kind == "DaemonSet", host_network);
            for (index, item) in spec
                .get("tolerations")
                .map_or(&[][..], Node::items)
                .iter()
                .enumerate()
            {
                match Toleration::parse(item, &push_pointer(&at("tolerations"), index)) {
                    Ok(toleration) => tolerations.push(toleration),
                    Err((pointer, message)) => reporter.error(&pointer, message),
                }
            }
            let evaluation = evaluate(&template, Level::Baseline, Version::LATEST);
            let workload = Workload {
                object: index,
                location: object.location(object.root.span),
                object_labels: labels_of(object.metadata().get("labels")),
                namespace: pod.namespace.clone(),
                name: pod.name.clone(),
                kind: pod.kind.clone(),
                labels: pod.labels.clone(),
                constraint: node_constraint(&template, &mut reporter),
                named_node: spec
                    .get("nodeName")
                    .and_then(Node::as_str)
                    .is_some_and(|name| !name.is_empty()),
                tolerations,
                anti_affinity: anti_affinity(&template, &mut reporter),
                host_access: evaluation
                    .violations
                    .into_iter()
                    .map(|v| v.reason)
                    .collect(),
            };
            placement.by_object.insert(index, placement.workloads.len());
            placement.workloads.push(workload);
        }
        for object in objects
            .iter()
            .filter(|o| o.kind == "Node" && o.api_version == "v1")
        {
            let mut reporter = Reporter::new(object, &mut diagnostics);
            let mut taints = Vec::new();
            for (index, item) in object
                .root
                .path(&["spec", "taints"])
                .map_or(&[][..], Node::items)
                .iter()
                .enumerate()
            {
                match taints::parse_taint(item, &format!("/spec/taints/{index}")) {
                    Ok(taint) => taints.push(taint),
                    Err((pointer, message)) => reporter.error(&pointer, message),
                }
            }
            // A cordoned node carries this taint once the node controller sees it.
            if object
                .root
                .path(&["spec", "unschedulable"])
                .and_then(Node::as_bool)
                == Some(true)
            {
                taints.push(Taint {
                    key: "node.kubernetes.io/unschedulable".to_owned(),
                    value: String::new(),
                    effect: Effect::NoSchedule,
                });
            }
            placement.nodes.push(NodeInfo {
                name: object.name.clone(),
                location: object.location(object.root.span),
                labels: labels_of(object.metadata().get("labels")),
                taints,
            });
        }
        placement.topology = topology;
        (placement, diagnostics)
    }

    /// The workload made from the object at `object` (its index in the scan), if any.
    pub fn workload_of(&self, object: usize) -> Option<usize> {
        self.by_object.get(&object).copied()
    }

    /// Whether the workload's pods may run on `node`.
    pub fn fits(&self, workload: &Workload, node: &NodeInfo) -> bool {
        let blocks = |taint: &&Taint| match taint.effect {
            Effect::NoExecute => true,
            Effect::NoSchedule => !workload.named_node,
            Effect::PreferNoSchedule => false,
        };
        workload.constraint.matches(&node.labels, &node.name)
            && node
                .taints
                .iter()
                .filter(blocks)
                .all(|taint| workload.tolerations.iter().any(|t| t.tolerates(taint)))
    }

    /// Whether (and why) the pods of workloads `a` and `b` can run on the same node.
    pub fn colocation(&self, a: usize, b: usize) -> Option<Colocation<'_>> {
        let (a, b) = (&self.workloads[a], &self.workloads[b]);
        let repels = |x: &Workload, y: &Workload| {
            x.anti_affinity
                .iter()
                .any(|term| term.repels(&x.namespace, y, &self.topology))
        };
        if repels(a, b) || repels(b, a) {
            return None;
        }
        if self.nodes.is_empty() {
            return a
                .constraint
                .compatible(&b.constraint)
                .then_some(Colocation::Unconstrained);
        }
        self.nodes
            .iter()
            .find(|node| self.fits(a, node) && self.fits(b, node))
            .map(Colocation::Node)
    }
}

/// The pod's `nodeName`, `nodeSelector` and required node affinity, as one constraint.
fn node_constraint(template: &PodTemplate<'_>, reporter: &mut Reporter<'_, '_>) -> NodeConstraint {
    let spec = template.spec;
    let at = |field: &str| push_pointer(template.spec_pointer, field);
    let mut base = Vec::new();
    if let Some(name) = spec
        .get("nodeName")
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty())
    {
        base.push(NodeRequirement {
            key: NodeKey::Name,
            operator: Operator::In(vec![name.to_owned()]),
        });
    }
    for entry in spec.get("nodeSelector").map_or(&[][..], Node::entries) {
        match entry.value.as_str() {
            Some(value) => base.push(NodeRequirement {
                key: NodeKey::Label(entry.key.to_string()),
                operator: Operator::In(vec![value.to_owned()]),
            }),
            None => reporter.error(
                &push_pointer(&at("nodeSelector"), &entry.key),
                format!(
                    "node selector values are strings, found {}",
                    entry.value.type_name()
                ),
            ),
        }
    }
    let required = spec.path(&[
        "affinity",
        "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
    ]);
    let Some(required) = required.filter(|n| !n.is_null()) else {
        return NodeConstraint { terms: vec![base] };
    };
    let pointer = format!(
        "{}/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution",
        template.spec_pointer
    );
    let terms = required
        .get("nodeSelectorTerms")
        .map_or(&[][..], Node::items);
    if terms.is_empty() {
        reporter.error(
            &push_pointer(&pointer, "nodeSelectorTerms"),
            "a required node affinity needs at least one node selector term",
        );
        return NodeConstraint { terms: vec![base] };
    }
    let mut result = Vec::new();
    for (t, term) in terms.iter().enumerate() {
        let term_pointer = format!("{pointer}/nodeSelectorTerms/{t}");
        let mut requirements = base.clone();
        let mut empty = true;
        let mut valid = true;
        for (field, is_field) in [("matchExpressions", false), ("matchFields", true)] {
            for (i, item) in term
                .get(field)
                .map_or(&[][..], Node::items)
                .iter()
                .enumerate()
            {
                empty = false;
                let item_pointer = format!("{term_pointer}/{field}/{i}");
                match selector::parse_requirement(item, &item_pointer, is_field) {
                    Ok(requirement) => requirements.push(requirement),
                    Err((pointer, message)) => {
                        reporter.error(&pointer, message);
                        valid = false;
                    }
                }
            }
        }
        // An empty term matches no node; a term the API server would reject is left out.
        if !empty && valid {
            result.push(requirements);
        }
    }
    NodeConstraint { terms: result }
}

/// The pod's required anti-affinity terms on `kubernetes.io/hostname`.
fn anti_affinity(template: &PodTemplate<'_>, reporter: &mut Reporter<'_, '_>) -> Vec<AntiAffinity> {
    let pointer = format!(
        "{}/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution",
        template.spec_pointer
    );
    let terms = template
        .spec
        .path(&[
            "affinity",
            "podAntiAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
        ])
        .map_or(&[][..], Node::items);
    let mut result = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        if term.get("topologyKey").and_then(Node::as_str) != Some(HOSTNAME_LABEL) {
            continue;
        }
        let term_pointer = format!("{pointer}/{index}");
        let mut selector = |field: &str| -> Result<Option<LabelSelector>, ()> {
            match term.get(field).filter(|n| !n.is_null()) {
                None => Ok(None),
                Some(node) => LabelSelector::parse(node, &format!("{term_pointer}/{field}"))
                    .map(Some)
                    .map_err(|error| reporter.error(&error.pointer, error.message)),
            }
        };
        let (Ok(labels), Ok(namespace_selector)) =
            (selector("labelSelector"), selector("namespaceSelector"))
        else {
            continue;
        };
        let namespaces = term
            .get("namespaces")
            .map_or(&[][..], Node::items)
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_owned)
            .collect();
        result.push(AntiAffinity {
            selector: labels,
            namespaces,
            namespace_selector,
        });
    }
    result
}
