//! NetworkPolicy reachability: which peers (workloads, bare pods, external address ranges) may
//! open which connections to which, under `networking.k8s.io/v1` NetworkPolicies and the
//! AdminNetworkPolicy / BaselineAdminNetworkPolicy layers around them.
//!
//! A connection from `a` to `b` needs both `a`'s egress and `b`'s ingress to allow it. In each
//! direction the AdminNetworkPolicies decide first (by priority, first matching rule), what they
//! pass or leave open goes to the NetworkPolicies selecting the pod, and when none selects it in
//! that direction, to the BaselineAdminNetworkPolicy; what nobody decides is allowed.

mod admin;
mod connlist;
mod decision;
mod explain;
mod exposure;
mod formats;
mod ingress;
mod intervals;
mod ip;
mod model;
mod policy;
mod ports;

#[cfg(test)]
mod tests;

pub use admin::{AdminPolicy, AdminRule};
pub use connlist::{Connection, PeerName, format_txt};
pub use decision::{Action, Layer, PolicyRef};
pub use explain::{Decision, Reach, ReachPeer, RuleRef, Side};
pub use exposure::{Exposure, Inbound, Netpol, Source, is_policy};
pub use formats::{focus, format_csv, format_dot, format_md};
pub use ingress::IngressRoute;
pub use intervals::IntervalSet;
pub use ip::{Address, AddressRange, AddressSet, Family, parse_cidr};
pub(crate) use model::topology;
pub use model::{Labels, Pod, Topology};
pub use policy::{Direction, Endpoint, NamespaceMatch, NetworkPolicy, Peer, PodPeer, Rule};
pub use ports::{ConnectionSet, NamedPort, PortSpec, Protocol};

use std::collections::HashSet;

use rampart_source::{Node, Object};

pub(crate) use crate::reporter::Reporter;
use decision::Step;
use rampart_core::Diagnostic;

pub const NETWORKING_GROUP: &str = "networking.k8s.io";
pub const POLICY_GROUP: &str = "policy.networking.k8s.io";

/// Indices of the policies of each layer that select one pod, so that a connection's
/// verdict looks at a handful of policies rather than all of them.
#[derive(Debug, Clone, Default)]
struct Selection {
    network: Vec<usize>,
    admin: Vec<usize>,
    baseline: Vec<usize>,
}

/// Everything the analysis needs, read from the input once.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub topology: Topology,
    /// Labels of each pod's namespace, by pod index.
    namespace_labels: Vec<Labels>,
    /// The policies of each layer that select each pod, by pod index.
    selections: Vec<Selection>,
    pub policies: Vec<NetworkPolicy>,
    /// AdminNetworkPolicies in precedence order.
    pub admin_policies: Vec<AdminPolicy>,
    pub baseline_policies: Vec<AdminPolicy>,
    /// External address ranges that every policy treats alike, covering all of IPv4, and all of
    /// IPv6 when a policy names an IPv6 block (the cluster is then dual-stack; otherwise, as
    /// netpol-analyzer does, IPv4 only).
    pub external_ranges: Vec<AddressRange>,
    /// Where Ingress objects and Routes let traffic in.
    pub ingress_routes: Vec<IngressRoute>,
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

impl Analysis {
    /// Reads namespaces, pods, workloads and policies from `objects`; problems become
    /// diagnostics and the rest is analysed.
    pub fn new(objects: &[Object]) -> (Analysis, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let topology = model::topology(objects, &mut diagnostics);
        let mut analysis = Analysis::default();
        let declares_namespaces = objects.iter().any(|o| o.kind == "Namespace");
        let port_names: HashSet<&str> = topology
            .pods
            .iter()
            .flat_map(|pod| pod.named_ports.iter().map(|port| port.name.as_str()))
            .collect();
        for object in objects {
            let mut reporter = Reporter::new(object, &mut diagnostics);
            let kind = (group_of(&object.api_version), object.kind.as_str());
            if matches!(
                kind,
                (NETWORKING_GROUP, "NetworkPolicy")
                    | (
                        POLICY_GROUP,
                        "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy"
                    )
            ) {
                report_unknown_port_names(object, &port_names, &mut reporter);
            }
            match kind {
                (NETWORKING_GROUP, "NetworkPolicy") => {
                    if let Some(policy) = NetworkPolicy::parse(object, &mut reporter) {
                        if declares_namespaces && !topology.has_namespace(&policy.namespace) {
                            reporter.warning(
                                "/metadata/namespace",
                                format!("namespace `{}` is not in the input; the policy selects nothing", policy.namespace),
                            );
                        }
                        analysis.policies.push(policy);
                    }
                }
                (POLICY_GROUP, "AdminNetworkPolicy") => {
                    let Some(policy) = AdminPolicy::parse(object, false, &mut reporter) else {
                        continue;
                    };
                    let same_priority = analysis
                        .admin_policies
                        .iter()
                        .find(|other| other.priority == policy.priority);
                    if let Some(other) = same_priority {
                        reporter.warning(
                            "/spec/priority",
                            format!(
                                "AdminNetworkPolicy `{}` has the same priority; which of the two \
                                 decides first is undefined (rampart orders them by name)",
                                other.name
                            ),
                        );
                    }
                    analysis.admin_policies.push(policy);
                }
                (POLICY_GROUP, "BaselineAdminNetworkPolicy") => {
                    analysis.baseline_policies.extend(AdminPolicy::parse(
                        object,
                        true,
                        &mut reporter,
                    ));
                }
                _ => {}
            }
        }
        // Equal priorities are undefined upstream; the name makes the order deterministic.
        analysis
            .admin_policies
            .sort_by(|a, b| (a.priority, &a.name).cmp(&(b.priority, &b.name)));
        analysis.namespace_labels = topology
            .pods
            .iter()
            .map(|p| topology.namespace_labels(&p.namespace))
            .collect();
        analysis.selections = topology
            .pods
            .iter()
            .zip(&analysis.namespace_labels)
            .map(|(pod, labels)| {
                let admin_selecting = |policies: &[AdminPolicy]| -> Vec<usize> {
                    (0..policies.len())
                        .filter(|&i| policies[i].selects(pod, labels))
                        .collect()
                };
                Selection {
                    network: (0..analysis.policies.len())
                        .filter(|&i| analysis.policies[i].selects(pod))
                        .collect(),
                    admin: admin_selecting(&analysis.admin_policies),
                    baseline: admin_selecting(&analysis.baseline_policies),
                }
            })
            .collect();
        analysis.topology = topology;
        analysis.external_ranges = analysis.split_external_addresses();
        analysis.ingress_routes =
            ingress::ingress_routes(objects, &analysis.topology, &mut diagnostics);
        (analysis, diagnostics)
    }

    /// Every peer of every rule of every policy layer.
    fn rule_peers(&self) -> impl Iterator<Item = &Peer> {
        let network = self.policies.iter().flat_map(|p| {
            let rules = p.ingress.iter().chain(&p.egress).flatten();
            rules.flat_map(|rule| &rule.peers)
        });
        let admin = self
            .admin_policies
            .iter()
            .chain(&self.baseline_policies)
            .flat_map(|p| {
                let rules = p.ingress.iter().chain(&p.egress);
                rules.flat_map(|rule| &rule.peers)
            });
        network.chain(admin)
    }

    fn address_peers(&self) -> impl Iterator<Item = &AddressSet> {
        self.rule_peers().filter_map(|peer| match peer {
            Peer::Addresses(set) => Some(set),
            Peer::Pods(_) => None,
        })
    }

    /// Cuts each address family at every boundary of every address block the policies name:
    /// the pieces are the fewest disjoint ranges inside which no policy can tell two addresses
    /// apart.
    fn split_external_addresses(&self) -> Vec<AddressRange> {
        let mut pieces = Vec::new();
        for family in Family::ALL {
            let blocks: Vec<(u128, u128)> = self
                .address_peers()
                .flat_map(|set| set.of_family(family).ranges().iter().copied())
                .collect();
            if family == Family::V6 && blocks.is_empty() {
                continue;
            }
            let max = family.max();
            let mut starts: Vec<u128> = vec![0];
            for (start, end) in blocks {
                starts.push(start);
                if end < max {
                    starts.push(end + 1);
                }
            }
            starts.sort_unstable();
            starts.dedup();
            pieces.extend(starts.iter().enumerate().map(|(i, &start)| AddressRange {
                family,
                start,
                end: starts.get(i + 1).map_or(max, |next| next - 1),
            }));
        }
        pieces
    }

    fn endpoint(&self, index: usize) -> Endpoint<'_> {
        Endpoint::Pod {
            pod: &self.topology.pods[index],
            namespace_labels: &self.namespace_labels[index],
        }
    }

    /// What NetworkPolicies allow the pod at `index` in `direction` with `peer`, out of
    /// `remaining`; `None` when no policy selects the pod for that direction (it is not
    /// isolated). With a `log`, each rule that allows something and each policy that isolates
    /// the pod from the rest are recorded.
    fn network_policies_allow(
        &self,
        index: usize,
        peer: Endpoint<'_>,
        direction: Direction,
        remaining: &ConnectionSet,
        mut log: Option<&mut Vec<Step>>,
    ) -> Option<ConnectionSet> {
        let pod = &self.topology.pods[index];
        let destination_ports = destination_ports(pod, peer, direction);
        let selecting = &self.selections[index].network;
        let mut isolated = false;
        let mut allowed = ConnectionSet::none();
        for &policy_index in selecting {
            let Some(rules) = self.policies[policy_index].rules(direction) else {
                continue;
            };
            isolated = true;
            for (rule_index, rule) in rules.iter().enumerate().filter(|(_, r)| r.matches(peer)) {
                let opened = ports::resolve_ports(&rule.ports, destination_ports);
                if let Some(log) = log.as_deref_mut() {
                    let decided = opened.intersection(remaining);
                    if !decided.is_empty() {
                        log.push(Step {
                            layer: Layer::NetworkPolicy,
                            effect: Action::Allow,
                            policy: Some(policy_index),
                            rule: Some(rule_index),
                            connections: decided,
                        });
                    }
                }
                allowed = allowed.union(&opened);
            }
        }
        if !isolated {
            return None;
        }
        let allowed = allowed.intersection(remaining);
        if let Some(log) = log {
            let denied = remaining.difference(&allowed);
            if !denied.is_empty() {
                let isolating = selecting
                    .iter()
                    .filter(|&&i| self.policies[i].rules(direction).is_some());
                log.extend(isolating.map(|&policy_index| Step {
                    layer: Layer::NetworkPolicy,
                    effect: Action::Deny,
                    policy: Some(policy_index),
                    rule: None,
                    connections: denied.clone(),
                }));
            }
        }
        Some(allowed)
    }

    /// What all policy layers allow the pod at `index` in `direction` with `peer`.
    pub fn allowed(&self, index: usize, peer: Endpoint<'_>, direction: Direction) -> ConnectionSet {
        self.decide(index, peer, direction, None)
    }

    /// What all policy layers allow the pod at `index` in `direction` with `peer`, recording
    /// every decision in `log` when there is one.
    fn decide(
        &self,
        index: usize,
        peer: Endpoint<'_>,
        direction: Direction,
        mut log: Option<&mut Vec<Step>>,
    ) -> ConnectionSet {
        // Host-network pods are analysed like the others, as np-guard does: whether a CNI
        // enforces policies on them varies, and flagging them is left to a finding.
        let pod = &self.topology.pods[index];
        let selection = &self.selections[index];
        let admin = admin::evaluate(
            selection
                .admin
                .iter()
                .map(|&i| (i, &self.admin_policies[i])),
            pod,
            peer,
            direction,
            ConnectionSet::all(),
            Layer::AdminNetworkPolicy,
            log.as_deref_mut(),
        );
        let remaining = admin.undecided.union(&admin.passed);
        let rest = match self.network_policies_allow(
            index,
            peer,
            direction,
            &remaining,
            log.as_deref_mut(),
        ) {
            Some(allowed) => allowed,
            None => {
                let baseline = admin::evaluate(
                    selection
                        .baseline
                        .iter()
                        .map(|&i| (i, &self.baseline_policies[i])),
                    pod,
                    peer,
                    direction,
                    remaining,
                    Layer::BaselineAdminNetworkPolicy,
                    log.as_deref_mut(),
                );
                if let Some(log) = log.filter(|_| !baseline.undecided.is_empty()) {
                    log.push(Step {
                        layer: Layer::Default,
                        effect: Action::Allow,
                        policy: None,
                        rule: None,
                        connections: baseline.undecided.clone(),
                    });
                }
                baseline.allowed.union(&baseline.undecided)
            }
        };
        admin.allowed.union(&rest)
    }

    /// The connections from pod `source` to pod `destination`.
    pub fn pod_to_pod(&self, source: usize, destination: usize) -> ConnectionSet {
        self.allowed(source, self.endpoint(destination), Direction::Egress)
            .intersection(&self.allowed(destination, self.endpoint(source), Direction::Ingress))
    }
}

/// Port names that no container of the input declares: the rules naming them open nothing.
fn report_unknown_port_names(
    object: &Object,
    known: &HashSet<&str>,
    reporter: &mut Reporter<'_, '_>,
) {
    for field in ["ingress", "egress"] {
        let rules = object
            .root
            .path(&["spec", field])
            .map_or(&[][..], Node::items);
        for (r, rule) in rules.iter().enumerate() {
            for (p, port) in rule
                .get("ports")
                .map_or(&[][..], Node::items)
                .iter()
                .enumerate()
            {
                // `port` in a NetworkPolicy, `namedPort` in the admin kinds.
                for key in ["port", "namedPort"] {
                    let Some(name) = port.get(key).and_then(Node::as_str) else {
                        continue;
                    };
                    if !known.contains(name) {
                        reporter.warning(
                            &format!("/spec/{field}/{r}/ports/{p}/{key}"),
                            format!(
                                "no container declares a port named `{name}`; it matches nothing"
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// The named ports of the connection's destination: the pod itself for ingress, the peer for
/// egress (an external address has none).
fn destination_ports<'a>(
    pod: &'a Pod,
    peer: Endpoint<'a>,
    direction: Direction,
) -> &'a [NamedPort] {
    match (direction, peer) {
        (Direction::Ingress, _) => &pod.named_ports,
        (Direction::Egress, Endpoint::Pod { pod, .. }) => &pod.named_ports,
        (Direction::Egress, Endpoint::External(_)) => &[],
    }
}
