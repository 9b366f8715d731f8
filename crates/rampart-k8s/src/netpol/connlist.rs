//! The connectivity list: every allowed connection between distinct peers, and its text in
//! np-guard's notation (`ns/name[Kind] => 0.0.0.0-9.255.255.255[External] : TCP 8080`).

use std::collections::HashMap;
use std::fmt;

use rayon::prelude::*;

use super::Analysis;
use super::ingress::ingress_controller;
use super::ip::AddressRange;
use super::model::Pod;
use super::policy::{Direction, Endpoint, Peer, PodPeer};
use super::ports::{ConnectionSet, NamedPort};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeerName {
    Workload {
        namespace: String,
        name: String,
        kind: String,
    },
    /// An inclusive range of addresses outside the cluster.
    External(AddressRange),
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
            PeerName::External(range) => write!(f, "{range}[External]"),
            PeerName::IngressController => f.write_str("{ingress-controller}"),
        }
    }
}

impl PeerName {
    pub(crate) fn of(pod: &Pod) -> PeerName {
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
        let external = |range: &AddressRange| Endpoint::External(range.first());
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
                    .map(|range| {
                        (
                            self.allowed(source, external(range), Direction::Ingress),
                            self.allowed(source, external(range), Direction::Egress),
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
            for (&range, (inbound, outbound)) in self.external_ranges.iter().zip(&reach.outside) {
                let range = PeerName::External(range);
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
    /// Every workload and bare pod of the input, sorted, once each.
    pub fn workloads(&self) -> Vec<PeerName> {
        let mut names: Vec<PeerName> = self.topology.pods.iter().map(PeerName::of).collect();
        names.sort();
        names.dedup();
        names
    }

    /// Groups pods no policy can tell apart: those that every policy selector and every pod
    /// peer of every rule matches alike, with the same named ports. Returns the class of each
    /// pod and one representative pod per class.
    pub(crate) fn classes(&self) -> (Vec<usize>, Vec<usize>) {
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
