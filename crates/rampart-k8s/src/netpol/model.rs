//! The peers policies speak about: namespaces with their labels, and pods grouped under the
//! workload that owns them. Pods are taken from Pod objects when the input has them, and made
//! from the pod template of each workload that has none.

use std::collections::{BTreeMap, HashSet};

use rampart_source::{Node, Object};

use super::ports::{NamedPort, Protocol};
use crate::reporter::Reporter;
use crate::workload::pod_template;
use rampart_core::Diagnostic;

pub type Labels = Vec<(String, String)>;

/// The label every namespace carries with its own name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";
pub const DEFAULT_NAMESPACE: &str = "default";

/// One peer inside the cluster: a workload's pods (represented by one of them), or a bare pod.
#[derive(Debug, Clone)]
pub struct Pod {
    pub namespace: String,
    /// The owning workload's name, or the pod's own for a bare pod.
    pub name: String,
    /// `Deployment`, `DaemonSet`, … or `Pod` for a bare pod.
    pub kind: String,
    pub labels: Labels,
    pub named_ports: Vec<NamedPort>,
    /// Whether the pod uses its node's network. Policies are applied to it as to any pod, as
    /// np-guard does (whether a network plugin enforces them there varies); findings flag it.
    pub host_network: bool,
    /// The index, in the objects the topology was read from, of the object this pod was made
    /// from (the first Pod of a workload); `None` for peers that stand for no object.
    pub object: Option<usize>,
}

/// Namespaces and pods of the input.
#[derive(Debug, Clone, Default)]
pub struct Topology {
    pub namespace_labels: BTreeMap<String, Labels>,
    pub pods: Vec<Pod>,
}

impl Topology {
    /// The labels of namespace `name`; a namespace named only by its objects has just the name
    /// label, as the API server would give it.
    pub fn namespace_labels(&self, name: &str) -> Labels {
        self.namespace_labels
            .get(name)
            .cloned()
            .unwrap_or_else(|| vec![(NAMESPACE_NAME_LABEL.to_owned(), name.to_owned())])
    }

    pub fn has_namespace(&self, name: &str) -> bool {
        self.namespace_labels.contains_key(name) || self.pods.iter().any(|p| p.namespace == name)
    }
}

/// The workload an object reports as its controller, `(kind, name)`.
fn controller(object: &Object) -> Option<(String, String)> {
    let owners = object.metadata().get("ownerReferences")?.items();
    let owner = owners
        .iter()
        .find(|o| o.get("controller").and_then(Node::as_bool) == Some(true))
        .or_else(|| owners.first())?;
    // np-guard names an owner without a kind as a pod.
    let kind = owner.get("kind").and_then(Node::as_str).unwrap_or("Pod");
    Some((kind.to_owned(), owner.get("name")?.as_str()?.to_owned()))
}

fn labels_of(node: Option<&Node>) -> Labels {
    node.map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key.to_string(), e.value.as_str()?.to_owned())))
        .collect()
}

fn namespace_of(object: &Object) -> String {
    object
        .namespace
        .clone()
        .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned())
}

/// Reads namespaces and pods from `objects`.
pub fn topology(objects: &[Object], diagnostics: &mut Vec<Diagnostic>) -> Topology {
    let mut topology = Topology::default();
    for object in objects.iter().filter(|o| o.kind == "Namespace") {
        let mut labels = labels_of(object.metadata().get("labels"));
        if !labels.iter().any(|(k, _)| k == NAMESPACE_NAME_LABEL) {
            labels.push((NAMESPACE_NAME_LABEL.to_owned(), object.name.clone()));
        }
        topology
            .namespace_labels
            .insert(object.name.clone(), labels);
    }

    // Intermediate controllers (a Deployment's ReplicaSet, a CronJob's Job) point at the workload
    // people know; pods owned by them are listed under it when the input has the link.
    let owner_of: BTreeMap<(String, String, String), (String, String)> = objects
        .iter()
        .filter(|o| matches!(o.kind.as_str(), "ReplicaSet" | "Job"))
        .filter_map(|o| {
            Some((
                (namespace_of(o), o.kind.clone(), o.name.clone()),
                controller(o)?,
            ))
        })
        .collect();
    let exists = |namespace: &str, kind: &str, name: &str| {
        objects
            .iter()
            .any(|o| o.kind == kind && o.name == name && namespace_of(o) == namespace)
    };
    let top_owner = |namespace: &str, kind: String, name: String| {
        if let Some(owner) = owner_of.get(&(namespace.to_owned(), kind.clone(), name.clone())) {
            return owner.clone();
        }
        // Without the intermediate object, its generated name still tells its owner:
        // `<deployment>-<hash>` and `<cronjob>-<schedule time>`.
        let parent_kind = match kind.as_str() {
            "ReplicaSet" => "Deployment",
            "Job" => "CronJob",
            _ => return (kind, name),
        };
        match name.rsplit_once('-') {
            Some((parent, _)) if exists(namespace, parent_kind, parent) => {
                (parent_kind.to_owned(), parent.to_owned())
            }
            _ => (kind, name),
        }
    };

    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut push = |topology: &mut Topology, index: usize, kind: String, name: String| {
        let object = &objects[index];
        let Some(template) = pod_template(object) else {
            return;
        };
        let namespace = namespace_of(object);
        if !seen.insert((namespace.clone(), kind.clone(), name.clone())) {
            return;
        }
        let mut reporter = Reporter::new(object, diagnostics);
        topology.pods.push(Pod {
            namespace,
            name,
            kind,
            labels: labels_of(template.metadata.get("labels")),
            named_ports: named_ports(template.spec, template.spec_pointer, &mut reporter),
            host_network: template.spec.get("hostNetwork").and_then(Node::as_bool) == Some(true),
            object: Some(index),
        });
    };

    for (index, object) in objects.iter().enumerate().filter(|(_, o)| o.kind == "Pod") {
        // A static pod's mirror names its Node as owner; each is a pod of its own.
        let (kind, name) = match controller(object).filter(|(kind, _)| kind != "Node") {
            Some((kind, name)) => top_owner(&namespace_of(object), kind, name),
            None => ("Pod".to_owned(), object.name.clone()),
        };
        push(&mut topology, index, kind, name);
    }
    for (index, object) in objects.iter().enumerate().filter(|(_, o)| {
        o.kind != "Pod"
            && o.kind != "PodTemplate"
            && crate::workload::runs_pods(&o.api_version, &o.kind)
    }) {
        // A ReplicaSet or Job whose owner is in the input is that owner's, already made.
        let owner =
            controller(object).filter(|(kind, name)| exists(&namespace_of(object), kind, name));
        if owner.is_none() {
            push(
                &mut topology,
                index,
                object.kind.clone(),
                object.name.clone(),
            );
        }
    }
    topology
}

/// The named ports of a pod spec's containers.
fn named_ports(spec: &Node, spec_pointer: &str, reporter: &mut Reporter<'_, '_>) -> Vec<NamedPort> {
    let mut ports = Vec::new();
    for (c, container) in spec
        .get("containers")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        for (p, port) in container
            .get("ports")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let Some(name) = port.get("name").and_then(Node::as_str) else {
                continue;
            };
            let pointer = format!("{spec_pointer}/containers/{c}/ports/{p}");
            let protocol = match port.get("protocol").and_then(Node::as_str) {
                None => Protocol::Tcp,
                Some(text) => match Protocol::parse(text) {
                    Some(protocol) => protocol,
                    None => {
                        reporter.error(
                            &format!("{pointer}/protocol"),
                            format!("unknown protocol `{text}`"),
                        );
                        continue;
                    }
                },
            };
            match port.get("containerPort").and_then(Node::as_i64) {
                Some(number @ 1..=65535) => ports.push(NamedPort {
                    name: name.to_owned(),
                    protocol,
                    port: number as u64,
                }),
                _ => reporter.error(
                    &format!("{pointer}/containerPort"),
                    "a container port is a number from 1 to 65535",
                ),
            }
        }
    }
    ports
}
