//! Traffic entering through Ingress objects and OpenShift Routes: which pods behind which
//! Service ports they expose, and the ingress controller as a peer policies can admit.

use rampart_source::{Node, Object};

use super::decision::PolicyRef;
use super::model::{Labels, NAMESPACE_NAME_LABEL, Pod, Topology};
use super::ports::{ConnectionSet, Protocol};
use crate::reporter::Reporter;
use rampart_core::Diagnostic;

/// Where an Ingress or Route sends traffic: the pods behind a Service, on some of its ports.
#[derive(Debug, Clone)]
pub struct IngressRoute {
    /// Index of the pod in the topology.
    pub pod: usize,
    pub allowed: ConnectionSet,
    /// The Ingress or Route, located at the backend that names the Service.
    pub exposed_by: PolicyRef,
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
                        exposed_by: PolicyRef {
                            kind: object.kind.clone(),
                            namespace: Some(namespace.clone()),
                            name: object.name.clone(),
                            location: object.location(object.span_at(&pointer)),
                        },
                    });
                }
            }
        }
    }
    routes
}

/// The ingress controller, as policies see it: a pod without labels in a namespace carrying the
/// labels the common controllers' namespaces have (nginx, OpenShift).
pub(crate) fn ingress_controller() -> (Pod, Labels) {
    let pod = Pod {
        namespace: "ingress-nginx".to_owned(),
        name: "ingress-controller".to_owned(),
        kind: "Deployment".to_owned(),
        labels: Vec::new(),
        named_ports: Vec::new(),
        host_network: false,
        object: None,
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
