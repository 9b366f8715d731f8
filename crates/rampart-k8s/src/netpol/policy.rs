//! `networking.k8s.io/v1` NetworkPolicy: parsing (with diagnostics) and what a policy allows.

use rampart_core::Location;
use rampart_source::{Node, Object, push_pointer};

use super::ip::{Address, AddressSet, parse_cidr};
use super::model::{Labels, Pod};
use super::ports::{MAX_PORT, PortSpec, Protocol};
use crate::rbac::LabelSelector;
use crate::reporter::Reporter;

/// Which side of a connection a rule governs, seen from the pod the policy selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Ingress,
    Egress,
}

/// Which namespaces a pod peer may live in.
#[derive(Debug, Clone)]
pub enum NamespaceMatch {
    /// Only the policy's own namespace (a peer without `namespaceSelector`).
    Named(String),
    Selected(LabelSelector),
}

/// The other end of a connection, as policies match it.
#[derive(Debug, Clone, Copy)]
pub enum Endpoint<'a> {
    Pod {
        pod: &'a Pod,
        namespace_labels: &'a Labels,
    },
    /// An address outside the cluster (the first of a range that every policy treats alike).
    External(Address),
}

/// Pods by namespace and labels; `pods: None` is every pod of the matching namespaces.
#[derive(Debug, Clone)]
pub struct PodPeer {
    pub namespaces: NamespaceMatch,
    pub pods: Option<LabelSelector>,
}

impl PodPeer {
    pub fn matches(&self, pod: &Pod, namespace_labels: &Labels) -> bool {
        let in_namespace = match &self.namespaces {
            NamespaceMatch::Named(name) => pod.namespace == *name,
            NamespaceMatch::Selected(selector) => selector.matches(namespace_labels),
        };
        in_namespace && self.pods.as_ref().is_none_or(|s| s.matches(&pod.labels))
    }
}

#[derive(Debug, Clone)]
pub enum Peer {
    Pods(PodPeer),
    Addresses(AddressSet),
}

impl Peer {
    pub fn matches(&self, endpoint: Endpoint<'_>) -> bool {
        match (self, endpoint) {
            (
                Peer::Pods(peer),
                Endpoint::Pod {
                    pod,
                    namespace_labels,
                },
            ) => peer.matches(pod, namespace_labels),
            (Peer::Addresses(set), Endpoint::External(address)) => set.contains(address),
            _ => false,
        }
    }
}

/// One ingress or egress rule: any listed peer, on any listed port; an empty list is "all".
#[derive(Debug, Clone)]
pub struct Rule {
    pub peers: Vec<Peer>,
    pub ports: Vec<PortSpec>,
    /// Where the rule is written.
    pub location: Location,
}

impl Rule {
    pub fn matches(&self, endpoint: Endpoint<'_>) -> bool {
        self.peers.is_empty() || self.peers.iter().any(|peer| peer.matches(endpoint))
    }
}

#[derive(Debug, Clone)]
pub struct NetworkPolicy {
    pub namespace: String,
    pub name: String,
    /// Where the policy object starts.
    pub location: Location,
    pub pod_selector: LabelSelector,
    /// `None` when the policy does not govern ingress; `Some(empty)` denies all of it.
    pub ingress: Option<Vec<Rule>>,
    pub egress: Option<Vec<Rule>>,
}

impl NetworkPolicy {
    pub fn rules(&self, direction: Direction) -> Option<&[Rule]> {
        match direction {
            Direction::Ingress => self.ingress.as_deref(),
            Direction::Egress => self.egress.as_deref(),
        }
    }

    pub fn selects(&self, pod: &Pod) -> bool {
        pod.namespace == self.namespace && self.pod_selector.matches(&pod.labels)
    }

    /// Reads a NetworkPolicy; malformed parts are reported and left out (a rule with a bad
    /// peer is dropped whole, so the result never allows more than the author wrote).
    pub(crate) fn parse(object: &Object, reporter: &mut Reporter<'_, '_>) -> Option<NetworkPolicy> {
        let namespace = object
            .namespace
            .clone()
            .unwrap_or_else(|| super::model::DEFAULT_NAMESPACE.to_owned());
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let pod_selector = match spec.get("podSelector").filter(|n| !n.is_null()) {
            None => LabelSelector::default(),
            Some(node) => parse_selector(node, "/spec/podSelector", reporter)?,
        };
        let types: Option<Vec<&str>> = spec
            .get("policyTypes")
            .filter(|n| !n.is_null())
            .map(|n| n.items().iter().filter_map(Node::as_str).collect());
        for (index, kind) in types.iter().flatten().enumerate() {
            if !matches!(*kind, "Ingress" | "Egress") {
                reporter.error(
                    &format!("/spec/policyTypes/{index}"),
                    format!("unknown policy type `{kind}`"),
                );
            }
        }
        let egress_rules = spec.get("egress").filter(|n| !n.is_null());
        // Without policyTypes, a policy always governs ingress, and egress when it has egress rules.
        let (governs_ingress, governs_egress) = match &types {
            Some(types) => (types.contains(&"Ingress"), types.contains(&"Egress")),
            None => (true, egress_rules.is_some_and(|n| !n.items().is_empty())),
        };
        let mut read_rules = |field: &str, peers_field: &str| -> Vec<Rule> {
            spec_items(spec, field, |rule, pointer| {
                parse_rule(rule, pointer, peers_field, &namespace, reporter)
            })
        };
        let ingress = governs_ingress.then(|| read_rules("ingress", "from"));
        let egress = governs_egress.then(|| read_rules("egress", "to"));
        Some(NetworkPolicy {
            namespace: namespace.clone(),
            name: object.name.clone(),
            location: reporter.location(""),
            pod_selector,
            ingress,
            egress,
        })
    }
}

/// Parses each item of the list `spec.<field>` with its pointer, keeping those that parse.
pub(crate) fn spec_items<T>(
    spec: &Node,
    field: &str,
    mut parse: impl FnMut(&Node, &str) -> Option<T>,
) -> Vec<T> {
    let pointer = format!("/spec/{field}");
    spec.get(field)
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter_map(|(index, item)| parse(item, &push_pointer(&pointer, index)))
        .collect()
}

pub(crate) fn parse_selector(
    node: &Node,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> Option<LabelSelector> {
    LabelSelector::parse(node, pointer)
        .map_err(|error| {
            reporter.error(
                &error.pointer,
                format!("invalid selector: {}", error.message),
            )
        })
        .ok()
}

fn parse_rule(
    node: &Node,
    pointer: &str,
    peers_field: &str,
    namespace: &str,
    reporter: &mut Reporter<'_, '_>,
) -> Option<Rule> {
    let peers_pointer = push_pointer(pointer, peers_field);
    let peers = node
        .get(peers_field)
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(index, peer)| {
            parse_peer(
                peer,
                &push_pointer(&peers_pointer, index),
                namespace,
                reporter,
            )
        })
        .collect::<Option<Vec<_>>>()?;
    let ports_pointer = push_pointer(pointer, "ports");
    let ports = node
        .get("ports")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(index, port)| parse_port(port, &push_pointer(&ports_pointer, index), reporter))
        .collect::<Option<Vec<_>>>()?;
    Some(Rule {
        peers,
        ports,
        location: reporter.location(pointer),
    })
}

fn parse_peer(
    node: &Node,
    pointer: &str,
    namespace: &str,
    reporter: &mut Reporter<'_, '_>,
) -> Option<Peer> {
    if let Some(block) = node.get("ipBlock").filter(|n| !n.is_null()) {
        let selectors = ["podSelector", "namespaceSelector"];
        if selectors
            .iter()
            .any(|s| node.get(s).is_some_and(|n| !n.is_null()))
        {
            reporter.error(
                pointer,
                "an `ipBlock` peer takes no `podSelector` or `namespaceSelector` (the API server \
                 rejects it); the rule is left out",
            );
            return None;
        }
        let pointer = push_pointer(pointer, "ipBlock");
        let Some(cidr) = block.get("cidr").and_then(Node::as_str) else {
            reporter.error(
                &pointer,
                "an `ipBlock` needs a `cidr`; the rule is left out",
            );
            return None;
        };
        let mut addresses = parse_cidr(cidr)
            .map_err(|message| reporter.error(&push_pointer(&pointer, "cidr"), message))
            .ok()?;
        for (index, except) in block
            .get("except")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let except_pointer = format!("{pointer}/except/{index}");
            let excluded = parse_cidr(except.as_str().unwrap_or(""))
                .map_err(|message| reporter.error(&except_pointer, message))
                .ok()?;
            if !excluded.is_subset(&addresses) {
                reporter.warning(
                    &except_pointer,
                    "an `except` block must lie inside the `cidr`",
                );
            }
            addresses = addresses.difference(&excluded);
        }
        return Some(Peer::Addresses(addresses));
    }
    let selector = |field: &str, reporter: &mut Reporter<'_, '_>| match node
        .get(field)
        .filter(|n| !n.is_null())
    {
        None => Some(None),
        Some(selector) => {
            parse_selector(selector, &push_pointer(pointer, field), reporter).map(Some)
        }
    };
    let namespaces = selector("namespaceSelector", reporter)?;
    let pods = selector("podSelector", reporter)?;
    if namespaces.is_none() && pods.is_none() {
        reporter.error(
            pointer,
            "a peer needs podSelector, namespaceSelector or ipBlock",
        );
        return None;
    }
    Some(Peer::Pods(PodPeer {
        namespaces: namespaces.map_or_else(
            || NamespaceMatch::Named(namespace.to_owned()),
            NamespaceMatch::Selected,
        ),
        pods,
    }))
}

fn parse_port(node: &Node, pointer: &str, reporter: &mut Reporter<'_, '_>) -> Option<PortSpec> {
    let protocol = match node.get("protocol").and_then(Node::as_str) {
        None => Protocol::Tcp,
        Some(text) => {
            let Some(protocol) = Protocol::parse(text) else {
                reporter.error(
                    &push_pointer(pointer, "protocol"),
                    format!("unknown protocol `{text}`"),
                );
                return None;
            };
            protocol
        }
    };
    let port = node.get("port").filter(|n| !n.is_null());
    let end = node.get("endPort").filter(|n| !n.is_null());
    match (
        port,
        port.and_then(Node::as_i64),
        port.and_then(Node::as_str),
    ) {
        (None, ..) => Some(PortSpec::AllOf(protocol)),
        (_, Some(start), _) => {
            let end = match end {
                None => start,
                Some(node) => match node.as_i64() {
                    Some(end) if end >= start => end,
                    _ => {
                        reporter.error(
                            &push_pointer(pointer, "endPort"),
                            "endPort must be a number no less than port",
                        );
                        return None;
                    }
                },
            };
            if !(1..=MAX_PORT as i64).contains(&start) || end > MAX_PORT as i64 {
                reporter.error(
                    &push_pointer(pointer, "port"),
                    "ports are numbers from 1 to 65535",
                );
                return None;
            }
            Some(PortSpec::Range {
                protocol,
                start: start as u64,
                end: end as u64,
            })
        }
        (_, None, Some(name)) => {
            if end.is_some() {
                reporter.error(
                    &push_pointer(pointer, "endPort"),
                    "endPort needs a numeric port",
                );
                return None;
            }
            Some(PortSpec::Named {
                protocol: Some(protocol),
                name: name.to_owned(),
            })
        }
        (Some(node), None, None) => {
            reporter.error(
                &push_pointer(pointer, "port"),
                format!("a port is a number or a name, found {}", node.type_name()),
            );
            None
        }
    }
}
