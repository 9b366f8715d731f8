//! Encryption between services: which workloads run a service-mesh proxy (Istio sidecar or
//! ambient, Linkerd), what each one's inbound side accepts without mutual TLS, port by port, and
//! so which connections that NetworkPolicies allow travel in plaintext.
//!
//! A connection from `s` to `d` on a TCP port is in plaintext when `d` takes plaintext on that
//! port from anyone (Istio `DISABLE`, a port the proxy does not capture, `d` outside the mesh),
//! or when `d` also takes plaintext (Istio `PERMISSIVE`, Linkerd's unauthenticated inbound
//! policies) and `s` does not open mutual TLS toward it: `s` has no proxy of the same mesh, or
//! its connections on that port bypass its proxy. Istio and Linkerd never speak mutual TLS to
//! each other. Only TCP is considered: neither mesh carries UDP or SCTP.

mod istio;
mod linkerd;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock};

use rampart_core::{Evidence, Location};
use rampart_source::{Node, Object};

pub use istio::{Capture, DestinationRule, Mode, PeerAuthentication, Subset, TlsSetting};

use crate::netpol::{Analysis, IntervalSet, Labels, Protocol, Reporter};
use crate::workload::pod_template;
use rampart_core::Diagnostic;

/// Settings of the mesh analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeshOptions {
    /// Istio's root namespace (`meshConfig.rootNamespace`): its PeerAuthentications without a
    /// selector apply to the whole mesh.
    pub istio_root_namespace: String,
}

impl Default for MeshOptions {
    fn default() -> MeshOptions {
        MeshOptions {
            istio_root_namespace: "istio-system".to_owned(),
        }
    }
}

/// The mesh proxy a workload's pods run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proxy {
    None,
    Istio(Capture),
    Linkerd,
}

impl Proxy {
    /// Whether a client with this proxy opens mutual TLS to a server with `server`.
    fn speaks_mtls_with(self, server: Proxy) -> bool {
        matches!(
            (self, server),
            (Proxy::Istio(_), Proxy::Istio(_)) | (Proxy::Linkerd, Proxy::Linkerd)
        )
    }
}

/// What a workload's inbound side does with a connection without mutual TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Inbound {
    /// Refuses it.
    Strict,
    /// Takes it, beside mutual TLS from meshed clients.
    Permissive,
    /// Takes only plaintext: even meshed clients send it so.
    Plaintext,
}

/// A set of TCP ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ports {
    pub set: IntervalSet,
}

impl Ports {
    pub fn every() -> Ports {
        Ports {
            set: IntervalSet::range(1, 65535),
        }
    }

    pub fn one(port: u64) -> Ports {
        Ports {
            set: IntervalSet::range(port, port),
        }
    }
}

impl fmt::Display for Ports {
    /// `every TCP port`, or `TCP 80,8080-8090`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.set == Ports::every().set {
            return f.write_str("every TCP port");
        }
        let ranges: Vec<String> = self
            .set
            .ranges()
            .iter()
            .map(|&(start, end)| {
                if start == end {
                    start.to_string()
                } else {
                    format!("{start}-{end}")
                }
            })
            .collect();
        write!(f, "TCP {}", ranges.join(","))
    }
}

/// What a workload's inbound side does on some ports, and what decides it.
#[derive(Debug, Clone)]
pub struct Rule {
    pub ports: Ports,
    pub inbound: Inbound,
    /// The setting that decides it, with its file and line where there is one.
    pub reason: String,
    /// The object field that decides it, when one does.
    pub decided_by: Option<Evidence>,
}

/// A comma-separated list of ports and ranges (`25,587,8000-8100`), as the mesh annotations
/// take it.
pub(crate) fn parse_port_list(text: &str) -> Result<IntervalSet, String> {
    let mut set = IntervalSet::empty();
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let port = |p: &str| {
            p.trim()
                .parse::<u64>()
                .ok()
                .filter(|p| (1..=65535).contains(p))
        };
        let range = match item.split_once('-') {
            Some((start, end)) => port(start).zip(port(end)).filter(|(s, e)| s <= e),
            None => port(item).map(|p| (p, p)),
        };
        let Some((start, end)) = range else {
            return Err(format!(
                "`{item}` is not a port (1-65535) or a range of ports (`8000-8100`)"
            ));
        };
        set = set.union(&IntervalSet::range(start, end));
    }
    Ok(set)
}

/// Where the field at `pointer` of `object` is (its nearest existing parent when absent).
pub(crate) fn location_of(object: &Object, pointer: &str) -> Location {
    object.location(object.span_at(pointer))
}

/// `path:line`, as messages cite a location.
pub(crate) fn at_line(location: &Location) -> String {
    format!("{}:{}", location.path, location.line)
}

/// Evidence naming an annotation of a pod template, at its field.
pub(crate) fn annotation_evidence(
    object: &Object,
    pointer: &str,
    key: &str,
    value: &str,
) -> Evidence {
    let at = format!(
        "{pointer}/annotations/{}",
        key.replace('~', "~0").replace('/', "~1")
    );
    Evidence {
        label: "annotation",
        value: format!("{key}: \"{value}\""),
        location: Some(location_of(object, &at)),
    }
}

/// One workload as the mesh sees it.
#[derive(Debug, Clone)]
pub struct MeshWorkload {
    pub proxy: Proxy,
    /// Inbound rules; a later rule overrides the earlier ones on its ports.
    pub inbound: Vec<Rule>,
    /// Ports on which outgoing connections bypass the proxy.
    pub outbound_bypass: IntervalSet,
}

impl MeshWorkload {
    /// The ports each rule decides, after later rules took theirs; rules that decide no port
    /// are left out.
    pub fn effective_inbound(&self) -> Vec<(IntervalSet, &Rule)> {
        let mut remaining = Ports::every().set;
        let mut effective = Vec::new();
        for rule in self.inbound.iter().rev() {
            let decided = rule.ports.set.intersection(&remaining);
            remaining = remaining.difference(&decided);
            if !decided.is_empty() {
                effective.push((decided, rule));
            }
        }
        effective.reverse();
        effective
    }
}

/// Connections into one workload that travel in plaintext, for one deciding rule.
#[derive(Debug, Clone)]
pub struct PlaintextPaths {
    pub inbound: Inbound,
    /// What decides it.
    pub reason: String,
    /// The object field that decides it, when one does.
    pub decided_by: Option<Evidence>,
    /// The workloads that open them (pod indexes of the topology), each with its TCP ports.
    pub sources: Vec<(usize, IntervalSet)>,
}

impl PlaintextPaths {
    /// The ports of all these connections.
    pub fn ports(&self) -> Ports {
        let set = self
            .sources
            .iter()
            .fold(IntervalSet::empty(), |all, (_, ports)| all.union(ports));
        Ports { set }
    }
}

/// A DestinationRule's non-Istio TLS setting toward workloads in the Istio mesh.
#[derive(Debug, Clone)]
pub struct TlsOverride<'m> {
    pub setting: &'m TlsSetting,
    /// The Istio-meshed workloads behind the rule's host.
    pub destinations: Vec<usize>,
    /// The Istio-meshed workloads of namespaces the rule is exported to that can reach them.
    pub clients: Vec<usize>,
}

/// A Service and the pods it selects.
#[derive(Debug, Clone)]
struct Service {
    namespace: String,
    name: String,
    selector: Labels,
}

/// The TCP ports each class of pods may open to the pods of other classes, computed per
/// destination class on first use: pods that no policy can tell apart reach and are reached
/// alike, so a connection is computed once per pair of classes.
#[derive(Debug, Default)]
struct Reach {
    /// The class of each topology pod.
    class_of: Vec<usize>,
    /// One pod of each class.
    representatives: Vec<usize>,
    /// By destination class: the ports each source class may open to it.
    into_class: Vec<OnceLock<Vec<IntervalSet>>>,
}

impl Reach {
    fn new(analysis: &Analysis) -> Reach {
        let (class_of, representatives) = analysis.classes();
        let into_class = representatives.iter().map(|_| OnceLock::new()).collect();
        Reach {
            class_of,
            representatives,
            into_class,
        }
    }

    /// The TCP ports the pods of each class may open to `destination`, by class.
    fn toward(&self, analysis: &Analysis, destination: usize) -> &[IntervalSet] {
        let class = self.class_of[destination];
        self.into_class[class].get_or_init(|| {
            let target = self.representatives[class];
            self.representatives
                .iter()
                .map(|&source| {
                    analysis
                        .pod_to_pod(source, target)
                        .of_protocol(Protocol::Tcp)
                        .clone()
                })
                .collect()
        })
    }
}

/// The mesh of one scan.
#[derive(Debug, Default)]
pub struct Mesh {
    /// NetworkPolicy reachability between the workloads.
    pub analysis: Arc<Analysis>,
    reach: Reach,
    /// By topology pod index.
    pub workloads: Vec<MeshWorkload>,
    pub destination_rules: Vec<DestinationRule>,
    services: Vec<Service>,
    /// Topology pod index by object index.
    by_object: HashMap<usize, usize>,
    /// Where each topology pod's object starts.
    locations: Vec<Option<Location>>,
    /// DestinationRule by object index.
    rule_by_object: HashMap<usize, usize>,
    in_use: bool,
}

pub(crate) fn string_map(node: Option<&Node>) -> Labels {
    node.map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key.to_string(), e.value.as_str()?.to_owned())))
        .collect()
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// Whether the input says anything about a mesh: Istio or Linkerd objects, or labels and
/// annotations that put pods in one.
fn mentions_a_mesh(objects: &[Object]) -> bool {
    objects.iter().any(|object| {
        let group = group_of(&object.api_version);
        if group.ends_with(".istio.io") || group.ends_with(".linkerd.io") {
            return true;
        }
        let metadata = match pod_template(object) {
            Some(template) => template.metadata,
            None if object.kind == "Namespace" => object.metadata(),
            None => return false,
        };
        let keys = ["labels", "annotations"].into_iter().flat_map(|field| {
            metadata
                .get(field)
                .map_or(&[][..], Node::entries)
                .iter()
                .map(|e| e.key.to_string())
        });
        keys.into_iter().any(|key| {
            key == "istio-injection"
                || key.starts_with("istio.io/")
                || key.starts_with("sidecar.istio.io/")
                || key == linkerd::INJECT
        })
    })
}

impl Mesh {
    /// Reads the mesh configuration from `objects`, with who reaches whom under their
    /// NetworkPolicies; malformed mesh settings become diagnostics. Without any sign of a mesh,
    /// the model is empty.
    pub fn new(objects: &[Object], options: &MeshOptions) -> (Mesh, Vec<Diagnostic>) {
        Mesh::with_analysis(objects, options, || Arc::new(Analysis::new(objects).0))
    }

    /// [`Mesh::new`] with the NetworkPolicy analysis of `objects` given by `analysis`, called
    /// only when the objects mention a mesh: for a scan that builds that analysis anyway.
    pub fn with_analysis(
        objects: &[Object],
        options: &MeshOptions,
        analysis: impl FnOnce() -> Arc<Analysis>,
    ) -> (Mesh, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        if !mentions_a_mesh(objects) {
            return (Mesh::default(), diagnostics);
        }
        let analysis = analysis();
        let mut peer_authentications = Vec::new();
        let mut destination_rules = Vec::new();
        let mut services = Vec::new();
        let mut namespace_annotations: BTreeMap<String, Labels> = BTreeMap::new();
        for (index, object) in objects.iter().enumerate() {
            let mut reporter = Reporter::new(object, &mut diagnostics);
            match (group_of(&object.api_version), object.kind.as_str()) {
                (istio::SECURITY_GROUP, "PeerAuthentication") => {
                    peer_authentications.extend(PeerAuthentication::parse(object, &mut reporter));
                }
                (istio::NETWORKING_GROUP, "DestinationRule") => {
                    destination_rules.extend(DestinationRule::parse(object, index, &mut reporter));
                }
                ("", "Service") => services.push(Service {
                    namespace: object
                        .namespace
                        .clone()
                        .unwrap_or_else(|| "default".to_owned()),
                    name: object.name.clone(),
                    selector: string_map(object.root.path(&["spec", "selector"])),
                }),
                ("", "Namespace") => {
                    let annotations = string_map(object.metadata().get("annotations"));
                    for key in linkerd::NAMESPACE_PORT_LISTS {
                        let value = annotations.iter().find(|(k, _)| k == key);
                        if let Some(Err(message)) = value.map(|(_, v)| parse_port_list(v)) {
                            let pointer =
                                format!("/metadata/annotations/{}", key.replace('/', "~1"));
                            reporter.error(&pointer, message);
                        }
                    }
                    namespace_annotations.insert(object.name.clone(), annotations);
                }
                _ => {}
            }
        }
        let servers = linkerd::servers(objects, &mut diagnostics);
        let no_annotations = Labels::new();
        let mut mesh = Mesh::default();
        for (pod_index, pod) in analysis.topology.pods.iter().enumerate() {
            let template = pod
                .object
                .and_then(|index| Some((index, pod_template(&objects[index])?)));
            mesh.locations
                .push(template.map(|(_, t)| location_of(t.object, "")));
            let workload = match template {
                Some((object_index, template)) => {
                    mesh.by_object.insert(object_index, pod_index);
                    let mut reporter = Reporter::new(template.object, &mut diagnostics);
                    let annotations = string_map(template.metadata.get("annotations"));
                    let namespace_labels = analysis.topology.namespace_labels(&pod.namespace);
                    let ns_annotations = namespace_annotations
                        .get(&pod.namespace)
                        .unwrap_or(&no_annotations);
                    describe_workload(
                        &pod.labels,
                        &annotations,
                        &namespace_labels,
                        ns_annotations,
                        pod.host_network,
                        Context {
                            object: template.object,
                            namespace: &pod.namespace,
                            pointer: template.metadata_pointer,
                            policies: &peer_authentications,
                            root_namespace: &options.istio_root_namespace,
                            servers: &servers,
                            named_ports: &pod.named_ports,
                        },
                        &mut reporter,
                    )
                }
                None => not_meshed("no proxy is injected into it"),
            };
            mesh.workloads.push(workload);
        }
        mesh.in_use = mesh.workloads.iter().any(|w| w.proxy != Proxy::None);
        mesh.rule_by_object = destination_rules
            .iter()
            .enumerate()
            .map(|(i, rule)| (rule.object, i))
            .collect();
        mesh.destination_rules = destination_rules;
        mesh.services = services;
        mesh.reach = Reach::new(&analysis);
        mesh.analysis = analysis;
        (mesh, diagnostics)
    }

    /// Whether the workload `pod` refuses plaintext on every port.
    pub fn requires_mtls(&self, pod: usize) -> bool {
        self.workloads[pod]
            .effective_inbound()
            .iter()
            .all(|(_, rule)| rule.inbound == Inbound::Strict)
    }

    /// Whether any workload of the scan runs a mesh proxy.
    pub fn in_use(&self) -> bool {
        self.in_use
    }

    /// The topology pod made from the object at `object` (its index in the scan).
    pub fn workload_of(&self, object: usize) -> Option<usize> {
        self.by_object.get(&object).copied()
    }

    /// Evidence naming the topology pod `pod`, at its object.
    pub fn pod_evidence(&self, label: &'static str, pod: usize) -> Evidence {
        Evidence {
            label,
            value: self.name(pod),
            location: self.locations[pod].clone(),
        }
    }

    /// `namespace/name[Kind]` of a topology pod.
    pub fn name(&self, pod: usize) -> String {
        let pod = &self.analysis.topology.pods[pod];
        format!("{}/{}[{}]", pod.namespace, pod.name, pod.kind)
    }

    /// The TCP ports `source` may open to `destination` under the NetworkPolicies.
    fn reachable_ports(&self, source: usize, destination: usize) -> &IntervalSet {
        &self.reach.toward(&self.analysis, destination)[self.reach.class_of[source]]
    }

    /// Connections into the workload `destination` (a topology pod index) that travel in
    /// plaintext, grouped by the rule that lets them: one entry per rule with the sources that
    /// use it and the ports they use.
    pub fn plaintext_into(&self, destination: usize) -> Vec<PlaintextPaths> {
        let server = &self.workloads[destination];
        let reach: Vec<(usize, &IntervalSet)> = (0..self.workloads.len())
            .filter(|&source| source != destination)
            .map(|source| (source, self.reachable_ports(source, destination)))
            .filter(|(_, ports)| !ports.is_empty())
            .collect();
        let mut paths = Vec::new();
        for (decided, rule) in server.effective_inbound() {
            let mut sources = Vec::new();
            for (source, reachable) in &reach {
                let reachable = reachable.intersection(&decided);
                let client = &self.workloads[*source];
                let plaintext = match rule.inbound {
                    Inbound::Strict => continue,
                    Inbound::Plaintext => reachable,
                    Inbound::Permissive if client.proxy.speaks_mtls_with(server.proxy) => {
                        reachable.intersection(&client.outbound_bypass)
                    }
                    Inbound::Permissive => reachable,
                };
                if !plaintext.is_empty() {
                    sources.push((*source, plaintext));
                }
            }
            if !sources.is_empty() {
                paths.push(PlaintextPaths {
                    inbound: rule.inbound,
                    reason: rule.reason.clone(),
                    decided_by: rule.decided_by.clone(),
                    sources,
                });
            }
        }
        paths
    }

    /// The non-Istio TLS settings of the DestinationRule at `object` (its index in the scan)
    /// that reach Istio-meshed workloads.
    pub fn tls_overrides(&self, object: usize) -> Vec<TlsOverride<'_>> {
        let Some(&rule) = self.rule_by_object.get(&object) else {
            return Vec::new();
        };
        let rule = &self.destination_rules[rule];
        let pods = &self.analysis.topology.pods;
        let destinations: Vec<usize> = (0..pods.len())
            .filter(|&d| matches!(self.workloads[d].proxy, Proxy::Istio(_)))
            .filter(|&d| {
                self.services.iter().any(|service| {
                    service.namespace == pods[d].namespace
                        && !service.selector.is_empty()
                        && rule.names_service(&service.namespace, &service.name)
                        && service
                            .selector
                            .iter()
                            .all(|pair| pods[d].labels.contains(pair))
                })
            })
            .collect();
        if destinations.is_empty() {
            return Vec::new();
        }
        let clients: Vec<usize> = (0..pods.len())
            .filter(|&c| matches!(self.workloads[c].proxy, Proxy::Istio(Capture::Sidecar)))
            .filter(|&c| rule.applies_to_clients_in(&pods[c].namespace))
            .filter(|&c| {
                destinations
                    .iter()
                    .any(|&d| d != c && !self.reachable_ports(c, d).is_empty())
            })
            .collect();
        rule.settings
            .iter()
            .filter_map(|setting| {
                let in_subset = |&d: &usize| {
                    setting.subset.as_ref().is_none_or(|subset| {
                        subset
                            .labels
                            .iter()
                            .all(|pair| pods[d].labels.contains(pair))
                    })
                };
                let destinations: Vec<usize> =
                    destinations.iter().copied().filter(in_subset).collect();
                let clients = clients
                    .iter()
                    .copied()
                    .filter(|&c| {
                        destinations
                            .iter()
                            .any(|&d| d != c && !self.reachable_ports(c, d).is_empty())
                    })
                    .collect();
                (!destinations.is_empty()).then_some(TlsOverride {
                    setting,
                    destinations,
                    clients,
                })
            })
            .collect()
    }
}

/// A workload outside every mesh, and why.
fn not_meshed(reason: &str) -> MeshWorkload {
    MeshWorkload {
        proxy: Proxy::None,
        inbound: vec![Rule {
            ports: Ports::every(),
            inbound: Inbound::Plaintext,
            reason: reason.to_owned(),
            decided_by: None,
        }],
        outbound_bypass: IntervalSet::empty(),
    }
}

/// What describing one workload needs besides its own labels and annotations.
struct Context<'c> {
    object: &'c Object,
    namespace: &'c str,
    /// The pod template's metadata pointer, where annotation problems are reported.
    pointer: &'c str,
    policies: &'c [PeerAuthentication],
    root_namespace: &'c str,
    servers: &'c [linkerd::Server],
    named_ports: &'c [crate::netpol::NamedPort],
}

/// The proxy and inbound rules of one workload.
fn describe_workload(
    labels: &Labels,
    annotations: &Labels,
    namespace_labels: &Labels,
    namespace_annotations: &Labels,
    host_network: bool,
    context: Context<'_>,
    reporter: &mut Reporter<'_, '_>,
) -> MeshWorkload {
    // Neither mesh injects its proxy into pods on the node's network.
    let istio = (!host_network)
        .then(|| istio::captured(labels, annotations, namespace_labels))
        .flatten();
    if let Some(capture) = istio {
        let mut inbound = istio::compose(
            context.policies,
            context.root_namespace,
            context.namespace,
            labels,
        );
        if capture == Capture::Ambient {
            // ztunnel always tunnels between meshed pods: DISABLE acts as PERMISSIVE.
            for rule in inbound
                .iter_mut()
                .filter(|r| r.inbound == Inbound::Plaintext)
            {
                rule.inbound = Inbound::Permissive;
                rule.reason.push_str(
                    ", which ambient mode does not support: it takes plaintext like PERMISSIVE",
                );
            }
        }
        let mut outbound_bypass = IntervalSet::empty();
        if capture == Capture::Sidecar {
            inbound.extend(istio::uncaptured_inbound(
                annotations,
                context.object,
                context.pointer,
                reporter,
            ));
            outbound_bypass = istio::uncaptured_outbound(annotations, context.pointer, reporter);
        }
        return MeshWorkload {
            proxy: Proxy::Istio(capture),
            inbound,
            outbound_bypass,
        };
    }
    if !host_network && linkerd::meshed(annotations, namespace_annotations) {
        let mut inbound = linkerd::inbound(
            annotations,
            namespace_annotations,
            context.object,
            context.pointer,
            reporter,
        );
        // Servers decide their ports instead of the default policy; skipped ports still
        // bypass the proxy.
        let servers = context
            .servers
            .iter()
            .filter_map(|server| server.rule_for(context.namespace, labels, context.named_ports));
        inbound.splice(1..1, servers);
        return MeshWorkload {
            proxy: Proxy::Linkerd,
            inbound,
            outbound_bypass: linkerd::skipped_outbound(
                annotations,
                namespace_annotations,
                context.pointer,
                reporter,
            ),
        };
    }
    not_meshed(if host_network {
        "it uses the node's network, where no mesh injects its proxy"
    } else {
        "no mesh injects its proxy: neither its namespace nor its pod template asks for one"
    })
}
