use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::netpol::{Direction, NamespaceMatch, Netpol, Peer, PodPeer, PortSpec};

use super::common::list;
use super::segmentation::field_of;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Parts of NetworkPolicy rules that can never match, judged against the scan:
    /// - a peer whose `podSelector` matches no pod of its namespace, when the scan runs
    ///   workloads in that namespace;
    /// - a peer whose `namespaceSelector` matches no namespace, when the scan declares every
    ///   namespace it runs workloads in (so their labels are known), as a cluster snapshot does;
    /// - a peer whose namespaces match but whose `podSelector` matches no pod in them, when the
    ///   scan runs workloads in at least one of them;
    /// - a named port (`port: http`) that no destination pod declares: for ingress, none of the
    ///   pods the policy selects; for egress, none of the pods the rule's peers match.
    ///
    /// How rampart tells a snapshot from partial manifests: a peer is only judged in namespaces
    /// whose workloads the scan holds. Manifests of one application, whose policies name
    /// namespaces deployed from elsewhere, are not reported. `ipBlock` peers are never judged.
    ///
    /// ## Why it matters
    /// A peer that matches nothing is a rule that does nothing, usually a typo or labels that
    /// changed: the client it was written for is blocked (and someone will "fix" it by opening
    /// more than needed), while the policy reads as if that traffic were allowed on purpose.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   ingress:
    ///     - from: [{podSelector: {matchLabels: {app: frontend}}}]   # the pods say app: web
    ///       ports: [{port: http}]                                   # the container says web
    /// ```
    /// Use instead: the labels and port names the pods carry.
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   ingress:
    ///     - from: [{podSelector: {matchLabels: {app: web}}}]
    ///       ports: [{port: web}]
    /// ```
    pub struct NetworkPolicyPeerMatchesNothing {
        code: "K305",
        name: "network-policy-peer-matches-nothing",
        title: "NetworkPolicy rule peer or port matches nothing",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Nsa: ["network-separation"],
            Cwe: ["CWE-1164"],
        ],
        equivalents: &[],
    }
}

/// Why a pod peer matches nothing, with the field to point at; `None` when it matches a pod,
/// or when the scan cannot tell.
fn unmatched(netpol: &Netpol<'_>, peer: &PodPeer) -> Option<(&'static str, String)> {
    let pods = &netpol.analysis.topology.pods;
    if (0..pods.len()).any(|i| peer.matches(&pods[i], netpol.namespace_labels_of(i))) {
        return None;
    }
    match &peer.namespaces {
        NamespaceMatch::Named(namespace) => netpol.has_pods_in(namespace).then(|| {
            (
                "podSelector",
                format!("podSelector matches no pod of namespace `{namespace}`"),
            )
        }),
        NamespaceMatch::Selected(selector) => {
            let topology = &netpol.analysis.topology;
            let namespaces: Vec<String> = topology
                .namespace_labels
                .keys()
                .chain(pods.iter().map(|pod| &pod.namespace))
                .filter(|ns| selector.matches(&topology.namespace_labels(ns)))
                .cloned()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if namespaces.is_empty() {
                (netpol.namespaces_complete() && !topology.namespace_labels.is_empty()).then(|| {
                    (
                        "namespaceSelector",
                        format!(
                            "namespaceSelector matches none of the {} namespaces",
                            topology.namespace_labels.len()
                        ),
                    )
                })
            } else {
                namespaces.iter().any(|ns| netpol.has_pods_in(ns)).then(|| {
                    (
                        "podSelector",
                        format!(
                            "podSelector matches no pod in the namespaces the peer selects ({})",
                            list(&namespaces)
                        ),
                    )
                })
            }
        }
    }
}

impl Check<Objects> for NetworkPolicyPeerMatchesNothing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(netpol) = target.cluster.netpol() else {
            return;
        };
        let Some(index) = netpol.policy_of(target.object) else {
            return;
        };
        let object = target.object;
        let policy = &netpol.analysis.policies[index];
        let selected: Vec<usize> = netpol.selected_pods(index).collect();
        for direction in [Direction::Ingress, Direction::Egress] {
            let field = field_of(direction);
            let peers_field = match direction {
                Direction::Ingress => "from",
                Direction::Egress => "to",
            };
            let count = object
                .root
                .path(&["spec", field])
                .map_or(0, |rules| rules.items().len());
            for position in 0..count {
                let pointer = format!("/spec/{field}/{position}");
                let at = object.location(object.span_at(&pointer));
                // Rules that did not parse are reported as scan errors, not here.
                let Some(rule) = policy
                    .rules(direction)
                    .and_then(|rules| rules.iter().find(|r| r.location == at))
                else {
                    continue;
                };
                for (p, peer) in rule.peers.iter().enumerate() {
                    let Peer::Pods(peer) = peer else { continue };
                    if let Some((selector, why)) = unmatched(&netpol, peer) {
                        hits.push(Hit::new(
                            format!("{pointer}/{peers_field}/{p}/{selector}"),
                            format!(
                                "{why} in the scan: this peer admits nothing; fix the selector to the labels the clients carry, or remove the peer"
                            ),
                        ));
                    }
                }
                // The pods a named port is looked up in: the policy's for ingress, the peers'
                // for egress (when every peer is a pod peer).
                let destinations: Vec<usize> = match direction {
                    Direction::Ingress => selected.clone(),
                    Direction::Egress => {
                        let pod_peers: Option<Vec<&PodPeer>> = rule
                            .peers
                            .iter()
                            .map(|peer| match peer {
                                Peer::Pods(pods) => Some(pods),
                                Peer::Addresses(_) => None,
                            })
                            .collect();
                        match pod_peers.filter(|peers| !peers.is_empty()) {
                            None => Vec::new(),
                            Some(peers) => (0..netpol.analysis.topology.pods.len())
                                .filter(|&i| {
                                    peers.iter().any(|peer| {
                                        peer.matches(netpol.pod(i), netpol.namespace_labels_of(i))
                                    })
                                })
                                .collect(),
                        }
                    }
                };
                if destinations.is_empty() {
                    continue;
                }
                for (p, port) in rule.ports.iter().enumerate() {
                    let PortSpec::Named { protocol, name } = port else {
                        continue;
                    };
                    let declared = destinations.iter().any(|&pod| {
                        netpol.pod(pod).named_ports.iter().any(|named| {
                            named.name == *name && protocol.is_none_or(|p| p == named.protocol)
                        })
                    });
                    if !declared {
                        let whose = match direction {
                            Direction::Ingress => "the pods the policy selects",
                            Direction::Egress => "the pods this rule's peers match",
                        };
                        hits.push(Hit::new(
                            format!("{pointer}/ports/{p}/port"),
                            format!(
                                "no container of {whose} declares a port named `{name}`: this port opens nothing; name a port the containers declare, or use its number"
                            ),
                        ));
                    }
                }
            }
        }
    }
}
