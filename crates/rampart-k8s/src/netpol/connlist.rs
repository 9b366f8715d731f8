//! The connectivity list: every allowed connection between distinct peers, and its text in
//! np-guard's notation (`ns/name[Kind] => 0.0.0.0-9.255.255.255[External] : TCP 8080`).

use std::collections::HashMap;
use std::fmt;

use rayon::prelude::*;

use rampart_source::{Node, Object};

use super::Analysis;
use super::ip::format_range;
use super::model::{Labels, NAMESPACE_NAME_LABEL, Pod, Topology};
use super::policy::{Direction, Endpoint, Peer, PodPeer};
use super::ports::{ConnectionSet, NamedPort, Protocol};
use super::report::Reporter;
use crate::rbac::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeerName {
    Workload {
        namespace: String,
        name: String,
        kind: String,
    },
    /// An inclusive IPv4 range.
    External { start: u64, end: u64 },
    /// Traffic entering through an Ingress or an OpenShift Route.
    IngressController,
}

impl fmt::Display for PeerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerName::Workload {
                namespace,
                name,
                kind,
            } => write!(f, "{namespace}/{name}[{kind}]"),
            PeerName::External { start, end } => {
                write!(f, "{}[External]", format_range(*start, *end))
            }
            PeerName::IngressController => f.write_str("{ingress-controller}"),
        }
    }
}

impl PeerName {
    fn of(pod: &Pod) -> PeerName {
        PeerName::Workload {
            namespace: pod.namespace.clone(),
            name: pod.name.clone(),
            kind: pod.kind.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Connection {
    pub source: PeerName,
    pub destination: PeerName,
    pub allowed: ConnectionSet,
}

/// One line per connection, sorted, as np-guard's `txt` format writes them.
pub fn format_txt(connections: &[Connection]) -> String {
    let mut lines: Vec<String> = connections
        .iter()
        .map(|c| format!("{} => {} : {}", c.source, c.destination, c.allowed))
        .collect();
    lines.sort();
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// Where an Ingress or Route sends traffic: the pods behind a Service, on some of its ports.
#[derive(Debug, Clone)]
pub struct IngressRoute {
    /// Index of the pod in the topology.
    pub pod: usize,
    pub allowed: ConnectionSet,
}

/// A Service's port: what clients name (`name`, `port`) and where it lands on the pod.
struct ServicePort<'a> {
    name: Option<&'a str>,
    port: Option<i64>,
    protocol: Protocol,
    target: &'a Node,
}

fn service_ports(service: &Object) -> Vec<ServicePort<'_>> {
    service
        .root
        .path(&["spec", "ports"])
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .map(|port| ServicePort {
            name: port.get("name").and_then(Node::as_str),
            port: port.get("port").and_then(Node::as_i64),
            protocol: port
                .get("protocol")
                .and_then(Node::as_str)
                .and_then(Protocol::parse)
                .unwrap_or(Protocol::Tcp),
            target: port
                .get("targetPort")
                .filter(|n| !n.is_null())
                .unwrap_or(Node::null()),
        })
        .collect()
}

impl ServicePort<'_> {
    /// The connection this port opens on `pod`; a named target the pod lacks opens nothing.
    fn on_pod(&self, pod: &Pod) -> ConnectionSet {
        let number = match (self.target.as_i64(), self.target.as_str()) {
            (Some(number), _) => Some(number),
            (None, Some(name)) => pod
                .named_ports
                .iter()
                .find(|p| p.name == name && p.protocol == self.protocol)
                .map(|p| p.port as i64),
            (None, None) => self.port,
        };
        number.map_or_else(ConnectionSet::none, |n| {
            ConnectionSet::ports(self.protocol, n as u64, n as u64)
        })
    }
}

/// Which ports of a Service an Ingress backend or a Route names.
enum PortChoice<'a> {
    All,
    Number(i64),
    Name(&'a str),
}

impl PortChoice<'_> {
    fn of(node: Option<&Node>) -> PortChoice<'_> {
        match node.map(|n| (n.as_i64(), n.as_str())) {
            Some((Some(number), _)) => PortChoice::Number(number),
            Some((None, Some(name))) => PortChoice::Name(name),
            _ => PortChoice::All,
        }
    }

    fn picks(&self, port: &ServicePort<'_>) -> bool {
        match self {
            PortChoice::All => true,
            PortChoice::Number(number) => {
                port.port == Some(*number) || port.target.as_i64() == Some(*number)
            }
            PortChoice::Name(name) => port.name == Some(name) || port.target.as_str() == Some(name),
        }
    }
}

/// The pods and ports Ingress objects and OpenShift Routes expose.
pub(crate) fn ingress_routes(
    objects: &[Object],
    topology: &Topology,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<IngressRoute> {
    let namespace_of = |o: &Object| {
        o.namespace
            .clone()
            .unwrap_or_else(|| super::model::DEFAULT_NAMESPACE.to_owned())
    };
    let mut routes = Vec::new();
    for object in objects {
        let namespace = namespace_of(object);
        // (service name, port choice, pointer of the reference)
        let backends: Vec<(&str, PortChoice<'_>, String)> = match object.kind.as_str() {
            "Ingress" => {
                let spec = object.root.get("spec").unwrap_or(Node::null());
                let default = spec
                    .get("defaultBackend")
                    .map(|b| (b, "/spec/defaultBackend".to_owned()));
                let paths = spec
                    .get("rules")
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                    .flat_map(|(r, rule)| {
                        rule.path(&["http", "paths"])
                            .map(Node::items)
                            .unwrap_or(&[])
                            .iter()
                            .enumerate()
                            .filter_map(move |(p, path)| {
                                Some((
                                    path.get("backend")?,
                                    format!("/spec/rules/{r}/http/paths/{p}/backend"),
                                ))
                            })
                    });
                default
                    .into_iter()
                    .chain(paths)
                    .filter_map(|(backend, pointer)| {
                        let service = backend.get("service")?;
                        let port = service.get("port");
                        let choice = port
                            .and_then(|p| p.get("number"))
                            .or_else(|| port.and_then(|p| p.get("name")));
                        Some((
                            service.get("name")?.as_str()?,
                            PortChoice::of(choice),
                            pointer,
                        ))
                    })
                    .collect()
            }
            "Route" if object.api_version.starts_with("route.openshift.io/") => object
                .root
                .path(&["spec", "to", "name"])
                .and_then(Node::as_str)
                .map(|name| {
                    (
                        name,
                        PortChoice::of(object.root.path(&["spec", "port", "targetPort"])),
                        "/spec/to".to_owned(),
                    )
                })
                .into_iter()
                .collect(),
            _ => continue,
        };
        for (service_name, choice, pointer) in backends {
            let Some(service) = objects.iter().find(|o| {
                o.kind == "Service" && o.name == service_name && namespace_of(o) == namespace
            }) else {
                Reporter::new(object, diagnostics).warning(
                    &pointer,
                    format!("service `{service_name}` is not in the input"),
                );
                continue;
            };
            let selector: Labels = service
                .root
                .path(&["spec", "selector"])
                .map(Node::entries)
                .unwrap_or(&[])
                .iter()
                .filter_map(|e| Some((e.key.to_string(), e.value.as_str()?.to_owned())))
                .collect();
            if selector.is_empty() {
                continue;
            }
            let ports: Vec<ServicePort<'_>> = service_ports(service)
                .into_iter()
                .filter(|p| choice.picks(p))
                .collect();
            for (index, pod) in topology.pods.iter().enumerate() {
                let selected = pod.namespace == namespace
                    && selector.iter().all(|label| pod.labels.contains(label));
                if !selected {
                    continue;
                }
                let allowed = ports.iter().fold(ConnectionSet::none(), |set, port| {
                    set.union(&port.on_pod(pod))
                });
                if !allowed.is_empty() {
                    routes.push(IngressRoute {
                        pod: index,
                        allowed,
                    });
                }
            }
        }
    }
    routes
}

/// The ingress controller, as policies see it: a pod without labels in a namespace carrying the
/// labels the common controllers' namespaces have (nginx, OpenShift).
fn ingress_controller() -> (Pod, Labels) {
    let pod = Pod {
        namespace: "ingress-nginx".to_owned(),
        name: "ingress-controller".to_owned(),
        kind: "Deployment".to_owned(),
        labels: Vec::new(),
        named_ports: Vec::new(),
        host_network: false,
    };
    let labels = [
        (NAMESPACE_NAME_LABEL, "ingress-nginx"),
        ("tier", "ingress"),
        ("app.kubernetes.io/part-of", "ingress-nginx"),
        ("namespace.name", "openshift-ingress-operator"),
        ("network.openshift.io/policy-group", "ingress"),
        ("openshift.io/cluster-monitoring", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    (pod, labels)
}

/// What the pods of one class may open: to each class of pods, and with each external range
/// (inbound, outbound).
struct ClassReach {
    to_classes: Vec<ConnectionSet>,
    outside: Vec<(ConnectionSet, ConnectionSet)>,
}

impl Analysis {
    /// Every allowed connection between distinct peers. Connections are computed once per
    /// class of pods no policy can tell apart.
    pub fn connlist(&self) -> Vec<Connection> {
        let pods = &self.topology.pods;
        let (class_of, representatives) = self.classes();
        let external = |start: u64| Endpoint::External(start);
        // Per source class: to every destination class, then to and from every external range.
        let rows: Vec<ClassReach> = representatives
            .par_iter()
            .map(|&source| {
                let to_classes = representatives
                    .iter()
                    .map(|&destination| self.pod_to_pod(source, destination))
                    .collect();
                let outside = self
                    .external_ranges
                    .iter()
                    .map(|&(start, _)| {
                        (
                            self.allowed(source, external(start), Direction::Ingress),
                            self.allowed(source, external(start), Direction::Egress),
                        )
                    })
                    .collect();
                ClassReach {
                    to_classes,
                    outside,
                }
            })
            .collect();

        let mut connections = Vec::new();
        let mut push = |source: PeerName, destination: PeerName, allowed: &ConnectionSet| {
            if !allowed.is_empty() {
                connections.push(Connection {
                    source,
                    destination,
                    allowed: allowed.clone(),
                });
            }
        };
        for (source, source_pod) in pods.iter().enumerate() {
            let reach = &rows[class_of[source]];
            for (destination, destination_pod) in pods.iter().enumerate() {
                let allowed = &reach.to_classes[class_of[destination]];
                // Peers are distinct workloads; names are only built for connections that exist.
                if destination != source && !allowed.is_empty() {
                    push(
                        PeerName::of(source_pod),
                        PeerName::of(destination_pod),
                        allowed,
                    );
                }
            }
            for (&(start, end), (inbound, outbound)) in
                self.external_ranges.iter().zip(&reach.outside)
            {
                let range = PeerName::External { start, end };
                push(range.clone(), PeerName::of(source_pod), inbound);
                push(PeerName::of(source_pod), range, outbound);
            }
        }
        let (controller, controller_labels) = ingress_controller();
        let controller = Endpoint::Pod {
            pod: &controller,
            namespace_labels: &controller_labels,
        };
        for route in &self.ingress_routes {
            let allowed = self
                .allowed(route.pod, controller, Direction::Ingress)
                .intersection(&route.allowed);
            push(
                PeerName::IngressController,
                PeerName::of(&pods[route.pod]),
                &allowed,
            );
        }
        connections.sort();
        connections.dedup();
        merge_duplicates(connections)
    }
}

impl Analysis {
    /// Groups pods no policy can tell apart: those that every policy selector and every pod
    /// peer of every rule matches alike, with the same named ports. Returns the class of each
    /// pod and one representative pod per class.
    fn classes(&self) -> (Vec<usize>, Vec<usize>) {
        let subjects = self.admin_policies.iter().chain(&self.baseline_policies);
        let pod_peers: Vec<&PodPeer> = self
            .rule_peers()
            .filter_map(|peer| match peer {
                Peer::Pods(pods) => Some(pods),
                Peer::Addresses(_) => None,
            })
            .chain(subjects.map(|p| &p.subject))
            .collect();
        let signature = |index: usize| -> Vec<bool> {
            let pod = &self.topology.pods[index];
            let labels = &self.namespace_labels[index];
            let selected_by = self.policies.iter().map(|p| p.selects(pod));
            let matched_by = pod_peers.iter().map(|peer| peer.matches(pod, labels));
            selected_by.chain(matched_by).collect()
        };
        let signatures: Vec<Vec<bool>> = (0..self.topology.pods.len())
            .into_par_iter()
            .map(signature)
            .collect();
        let mut class_by_key: HashMap<(&[bool], &[NamedPort]), usize> = HashMap::new();
        let mut representatives = Vec::new();
        let class_of = self
            .topology
            .pods
            .iter()
            .zip(&signatures)
            .enumerate()
            .map(|(index, (pod, signature))| {
                let key = (signature.as_slice(), pod.named_ports.as_slice());
                *class_by_key.entry(key).or_insert_with(|| {
                    representatives.push(index);
                    representatives.len() - 1
                })
            })
            .collect();
        (class_of, representatives)
    }
}

/// Joins connections between the same two peers (several Ingress objects towards one workload).
fn merge_duplicates(connections: Vec<Connection>) -> Vec<Connection> {
    let mut merged: Vec<Connection> = Vec::with_capacity(connections.len());
    for connection in connections {
        match merged.last_mut() {
            Some(last)
                if last.source == connection.source
                    && last.destination == connection.destination =>
            {
                last.allowed = last.allowed.union(&connection.allowed);
            }
            _ => merged.push(connection),
        }
    }
    merged
}
