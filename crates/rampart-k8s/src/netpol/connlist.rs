//! The connectivity list: every allowed connection between distinct peers, and its text in
//! np-guard's notation (`ns/name[Kind] => 0.0.0.0-9.255.255.255[External] : TCP 8080`).

use std::fmt;

use rampart_source::{Node, Object};

use super::Analysis;
use super::ip::format_range;
use super::model::{Labels, NAMESPACE_NAME_LABEL, Pod, Topology};
use super::policy::{Direction, Endpoint};
use super::ports::{ConnectionSet, Protocol};
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

impl Analysis {
    /// Every allowed connection between distinct peers. Pods are compared once per class of
    /// pods no input can tell apart (same namespace, labels, named ports and host networking).
    pub fn connlist(&self) -> Vec<Connection> {
        let pods = &self.topology.pods;
        let mut class_of: Vec<usize> = Vec::with_capacity(pods.len());
        let mut representatives: Vec<usize> = Vec::new();
        for (index, pod) in pods.iter().enumerate() {
            let same = representatives.iter().position(|&r| {
                let other = &pods[r];
                other.namespace == pod.namespace
                    && other.labels == pod.labels
                    && other.named_ports == pod.named_ports
                    && other.host_network == pod.host_network
            });
            class_of.push(same.unwrap_or_else(|| {
                representatives.push(index);
                representatives.len() - 1
            }));
        }
        let between_classes: Vec<Vec<ConnectionSet>> = representatives
            .iter()
            .map(|&source| {
                representatives
                    .iter()
                    .map(|&destination| self.pod_to_pod(source, destination))
                    .collect()
            })
            .collect();

        let mut connections = Vec::new();
        let mut push = |source: PeerName, destination: PeerName, allowed: ConnectionSet| {
            if !allowed.is_empty() && source != destination {
                connections.push(Connection {
                    source,
                    destination,
                    allowed,
                });
            }
        };
        for (source, source_pod) in pods.iter().enumerate() {
            for (destination, destination_pod) in pods.iter().enumerate() {
                let allowed = between_classes[class_of[source]][class_of[destination]].clone();
                push(
                    PeerName::of(source_pod),
                    PeerName::of(destination_pod),
                    allowed,
                );
            }
        }
        for &(start, end) in &self.external_ranges {
            let external = PeerName::External { start, end };
            for (index, pod) in pods.iter().enumerate() {
                let inbound = self.allowed(index, Endpoint::External(start), Direction::Ingress);
                push(external.clone(), PeerName::of(pod), inbound);
                let outbound = self.allowed(index, Endpoint::External(start), Direction::Egress);
                push(PeerName::of(pod), external.clone(), outbound);
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
                allowed,
            );
        }
        connections.sort();
        connections.dedup();
        merge_duplicates(connections)
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
