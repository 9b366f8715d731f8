//! AdminNetworkPolicy and BaselineAdminNetworkPolicy (`policy.networking.k8s.io/v1alpha1`):
//! cluster-wide rules with an action each, evaluated before (ANP) and after (BANP) the
//! namespaced NetworkPolicies.

use rampart_core::Location;
use rampart_source::{Node, Object, push_pointer};

use super::decision::{Action, Layer, Step};
use super::ip::parse_cidr;
use super::model::{Labels, Pod};
use super::policy::{
    Direction, Endpoint, NamespaceMatch, Peer, PodPeer, parse_selector, spec_items,
};
use super::ports::{ConnectionSet, NamedPort, PortSpec, Protocol, resolve_ports};
use crate::rbac::LabelSelector;
use crate::reporter::Reporter;

#[derive(Debug, Clone)]
pub struct AdminRule {
    pub name: String,
    pub action: Action,
    pub peers: Vec<Peer>,
    /// `None` is every port.
    pub ports: Option<Vec<PortSpec>>,
    /// Where the rule is written.
    pub location: Location,
}

impl AdminRule {
    fn matches(&self, endpoint: Endpoint<'_>) -> bool {
        self.peers.iter().any(|peer| peer.matches(endpoint))
    }

    fn connections(&self, destination_ports: &[NamedPort]) -> ConnectionSet {
        match &self.ports {
            None => ConnectionSet::all(),
            Some(ports) => resolve_ports(ports, destination_ports),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AdminPolicy {
    pub name: String,
    /// Where the policy object starts.
    pub location: Location,
    /// Lower numbers take precedence; `None` for the baseline policy.
    pub priority: Option<i64>,
    pub subject: PodPeer,
    pub ingress: Vec<AdminRule>,
    pub egress: Vec<AdminRule>,
}

/// What a list of admin policies decided for one pod, peer and direction.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub allowed: ConnectionSet,
    pub passed: ConnectionSet,
    /// Connections no rule matched.
    pub undecided: ConnectionSet,
}

impl AdminPolicy {
    pub fn selects(&self, pod: &Pod, namespace_labels: &Labels) -> bool {
        self.subject.matches(pod, namespace_labels)
    }

    pub(crate) fn rules(&self, direction: Direction) -> &[AdminRule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// Reads an AdminNetworkPolicy or, when `baseline`, a BaselineAdminNetworkPolicy.
    pub(crate) fn parse(
        object: &Object,
        baseline: bool,
        reporter: &mut Reporter<'_, '_>,
    ) -> Option<AdminPolicy> {
        let spec = object.root.get("spec").unwrap_or(Node::null());
        if baseline && object.name != "default" {
            reporter.error(
                "/metadata/name",
                "a BaselineAdminNetworkPolicy must be named `default` (the API server accepts no \
                 other); it is left out",
            );
            return None;
        }
        let priority = if baseline {
            None
        } else {
            let Some(priority) = spec
                .get("priority")
                .and_then(Node::as_i64)
                .filter(|p| (0..=1000).contains(p))
            else {
                reporter.error(
                    "/spec/priority",
                    "an AdminNetworkPolicy needs a priority from 0 to 1000",
                );
                return None;
            };
            Some(priority)
        };
        let subject = spec.get("subject").unwrap_or(Node::null());
        if !at_most_one_of(subject, &["namespaces", "pods"], "/spec/subject", reporter) {
            return None;
        }
        let Some(subject) = parse_pod_peer(subject, "/spec/subject", reporter) else {
            reporter.error("/spec/subject", "a subject needs `namespaces` or `pods`");
            return None;
        };
        let mut read = |field: &str, peers_field: &str| -> Vec<AdminRule> {
            let pointer = format!("/spec/{field}");
            at_most(spec.get(field), MAX_ITEMS, &pointer, "rules", reporter);
            spec_items(spec, field, |rule, pointer| {
                parse_rule(rule, pointer, peers_field, baseline, reporter)
            })
        };
        let ingress = read("ingress", "from");
        let egress = read("egress", "to");
        Some(AdminPolicy {
            name: object.name.clone(),
            location: reporter.location(""),
            priority,
            subject,
            ingress,
            egress,
        })
    }
}

/// Runs `policies` (those selecting `pod`, in precedence order, with their index in `layer`)
/// over the connections `start` between `pod` and `peer`: the first matching rule decides each
/// connection. Each decision goes to `log` when there is one.
pub(crate) fn evaluate<'p>(
    policies: impl Iterator<Item = (usize, &'p AdminPolicy)>,
    pod: &Pod,
    peer: Endpoint<'_>,
    direction: Direction,
    start: ConnectionSet,
    layer: Layer,
    mut log: Option<&mut Vec<Step>>,
) -> Verdict {
    let destination_ports = super::destination_ports(pod, peer, direction);
    let mut verdict = Verdict {
        undecided: start,
        ..Verdict::default()
    };
    for (policy_index, policy) in policies {
        let rules = policy.rules(direction).iter().enumerate();
        for (rule_index, rule) in rules.filter(|(_, r)| r.matches(peer)) {
            let decided = rule
                .connections(destination_ports)
                .intersection(&verdict.undecided);
            if let Some(log) = log.as_deref_mut().filter(|_| !decided.is_empty()) {
                log.push(Step {
                    layer,
                    effect: rule.action,
                    policy: Some(policy_index),
                    rule: Some(rule_index),
                    connections: decided.clone(),
                });
            }
            verdict.undecided = verdict.undecided.difference(&decided);
            match rule.action {
                Action::Allow => verdict.allowed = verdict.allowed.union(&decided),
                Action::Pass => verdict.passed = verdict.passed.union(&decided),
                Action::Deny => {}
            }
            if verdict.undecided.is_empty() {
                return verdict;
            }
        }
    }
    verdict
}

/// The most rules per direction, peers per rule and ports per rule the API accepts.
const MAX_ITEMS: usize = 100;
/// The most CIDRs of one `networks` peer.
const MAX_NETWORKS: usize = 25;

/// Reports a list longer than the API accepts (the object would be rejected; what it says is
/// still analysed).
fn at_most(
    list: Option<&Node>,
    limit: usize,
    pointer: &str,
    what: &str,
    reporter: &mut Reporter<'_, '_>,
) {
    let count = list.map_or(0, |l| l.items().len());
    if count > limit {
        reporter.error(
            pointer,
            format!("at most {limit} {what} are accepted, found {count}"),
        );
    }
}

/// Whether `node` sets at most one of `fields`, as a subject or an admin peer must; reports
/// the object otherwise (the API server rejects it).
fn at_most_one_of(
    node: &Node,
    fields: &[&str],
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> bool {
    let set: Vec<String> = fields
        .iter()
        .filter(|f| node.get(f).is_some_and(|n| !n.is_null()))
        .map(|f| format!("`{f}`"))
        .collect();
    if set.len() > 1 {
        reporter.error(
            pointer,
            format!(
                "set exactly one of {}, found {}; it is left out",
                fields
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                set.join(" and ")
            ),
        );
    }
    set.len() <= 1
}

fn parse_pod_peer(node: &Node, pointer: &str, reporter: &mut Reporter<'_, '_>) -> Option<PodPeer> {
    if let Some(namespaces) = node.get("namespaces").filter(|n| !n.is_null()) {
        let selector = parse_selector(namespaces, &push_pointer(pointer, "namespaces"), reporter)?;
        return Some(PodPeer {
            namespaces: NamespaceMatch::Selected(selector),
            pods: None,
        });
    }
    let pods = node.get("pods").filter(|n| !n.is_null())?;
    let pointer = push_pointer(pointer, "pods");
    let selector = |field: &str, reporter: &mut Reporter<'_, '_>| match pods
        .get(field)
        .filter(|n| !n.is_null())
    {
        None => Some(LabelSelector::default()),
        Some(node) => parse_selector(node, &push_pointer(&pointer, field), reporter),
    };
    let namespaces = selector("namespaceSelector", reporter)?;
    let pods = selector("podSelector", reporter)?;
    Some(PodPeer {
        namespaces: NamespaceMatch::Selected(namespaces),
        pods: Some(pods),
    })
}

fn parse_rule(
    node: &Node,
    pointer: &str,
    peers_field: &str,
    baseline: bool,
    reporter: &mut Reporter<'_, '_>,
) -> Option<AdminRule> {
    let name = node
        .get("name")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_owned();
    let action = match node.get("action").and_then(Node::as_str) {
        Some("Allow") => Action::Allow,
        Some("Deny") => Action::Deny,
        Some("Pass") if !baseline => Action::Pass,
        other => {
            let allowed = if baseline {
                "Allow or Deny"
            } else {
                "Allow, Deny or Pass"
            };
            reporter.error(
                &push_pointer(pointer, "action"),
                format!(
                    "the action is {allowed}, found {}",
                    other.unwrap_or("nothing")
                ),
            );
            return None;
        }
    };
    let peers_pointer = push_pointer(pointer, peers_field);
    let peer_nodes = node.get(peers_field).map_or(&[][..], Node::items);
    if peer_nodes.is_empty() {
        reporter.error(
            &peers_pointer,
            format!("a rule needs at least one peer in `{peers_field}`; the rule is left out"),
        );
        return None;
    }
    at_most(
        node.get(peers_field),
        MAX_ITEMS,
        &peers_pointer,
        "peers",
        reporter,
    );
    let mut peers = Vec::new();
    let mut outside_peer = false;
    for (index, peer) in peer_nodes.iter().enumerate() {
        let pointer = push_pointer(&peers_pointer, index);
        let kinds = ["namespaces", "pods", "networks", "nodes"];
        if !at_most_one_of(peer, &kinds, &pointer, reporter) {
            return None;
        }
        if let Some(networks) = peer.get("networks").filter(|n| !n.is_null()) {
            outside_peer = true;
            let networks_pointer = push_pointer(&pointer, "networks");
            at_most(
                Some(networks),
                MAX_NETWORKS,
                &networks_pointer,
                "CIDRs",
                reporter,
            );
            for (n, cidr) in networks.items().iter().enumerate() {
                let cidr_pointer = format!("{pointer}/networks/{n}");
                let cidr = cidr.as_str().unwrap_or("");
                let addresses = parse_cidr(cidr)
                    .map_err(|message| reporter.error(&cidr_pointer, message))
                    .ok()?;
                peers.push(Peer::Addresses(addresses));
            }
        } else if peer.get("nodes").is_some_and(|n| !n.is_null()) {
            outside_peer = true;
            reporter.warning(
                &push_pointer(&pointer, "nodes"),
                "node peers are not analysed; this peer matches nothing",
            );
        } else {
            peers.push(Peer::Pods(
                parse_pod_peer(peer, &pointer, reporter).or_else(|| {
                    reporter.error(
                        &pointer,
                        "a peer needs `namespaces`, `pods`, `networks` or `nodes`",
                    );
                    None
                })?,
            ));
        }
    }
    let ports = match node.get("ports").filter(|n| !n.is_null()) {
        None => None,
        Some(ports) if ports.items().is_empty() => {
            reporter.error(
                &push_pointer(pointer, "ports"),
                "`ports` lists at least one port when it is set; the rule is left out",
            );
            return None;
        }
        Some(ports) => Some(
            ports
                .items()
                .iter()
                .enumerate()
                .map(|(index, port)| {
                    parse_port(port, &format!("{pointer}/ports/{index}"), reporter)
                })
                .collect::<Option<Vec<_>>>()?,
        ),
    };
    let named_port = ports
        .iter()
        .flatten()
        .any(|p| matches!(p, PortSpec::Named { .. }));
    if outside_peer && named_port {
        // Rejected by the experimental channel's CRD only; netpol-analyzer analyses it.
        reporter.warning(
            &push_pointer(pointer, "ports"),
            "a named port matches nothing towards `networks` and `nodes` peers, which have no \
             named ports",
        );
    }
    Some(AdminRule {
        name,
        action,
        peers,
        ports,
        location: reporter.location(pointer),
    })
}

fn parse_port(node: &Node, pointer: &str, reporter: &mut Reporter<'_, '_>) -> Option<PortSpec> {
    let protocol = |node: &Node, reporter: &mut Reporter<'_, '_>| match node
        .get("protocol")
        .and_then(Node::as_str)
    {
        None => Some(Protocol::Tcp),
        Some(text) => Protocol::parse(text).or_else(|| {
            reporter.error(
                &push_pointer(pointer, "protocol"),
                format!("unknown protocol `{text}`"),
            );
            None
        }),
    };
    let number = |node: &Node, field: &str, reporter: &mut Reporter<'_, '_>| {
        node.get(field)
            .and_then(Node::as_i64)
            .filter(|p| (1..=65535).contains(p))
            .map(|p| p as u64)
            .or_else(|| {
                reporter.error(
                    &push_pointer(pointer, field),
                    "ports are numbers from 1 to 65535",
                );
                None
            })
    };
    if let Some(name) = node.get("namedPort").and_then(Node::as_str) {
        return Some(PortSpec::Named {
            protocol: None,
            name: name.to_owned(),
        });
    }
    if let Some(port) = node.get("portNumber") {
        let protocol = protocol(port, reporter)?;
        let port = number(port, "port", reporter)?;
        return Some(PortSpec::Range {
            protocol,
            start: port,
            end: port,
        });
    }
    if let Some(range) = node.get("portRange") {
        let protocol = protocol(range, reporter)?;
        let start = number(range, "start", reporter)?;
        let end = number(range, "end", reporter)?;
        return Some(PortSpec::Range {
            protocol,
            start,
            end,
        });
    }
    reporter.error(
        pointer,
        "a port needs `portNumber`, `portRange` or `namedPort`",
    );
    None
}
