//! Why a connection is allowed or denied: the policies and rules that decide it on each side
//! (the source's egress, the destination's ingress), layer by layer in precedence order, each
//! with where it is written. The decisions are recorded by the same evaluation that computes
//! the connectivity list, so the explanation cannot disagree with it.

use rampart_core::Location;

use super::Analysis;
use super::connlist::PeerName;
use super::decision::{Action, Layer, PolicyRef, Step};
use super::ingress::ingress_controller;
use super::ip::{Address, AddressRange};
use super::policy::{Direction, Endpoint};
use super::ports::ConnectionSet;

/// One rule of a policy: its position in the policy's ingress or egress list, its name (admin
/// policies name their rules) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    pub index: usize,
    pub name: Option<String>,
    pub location: Location,
}

/// A part of a connection decided by one policy, and by which of its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub layer: Layer,
    pub effect: Action,
    /// `None` for the default.
    pub policy: Option<PolicyRef>,
    /// `None` when a NetworkPolicy denies by isolation (it selects the pod and no rule of it
    /// admits the peer), for the default, and for an Ingress.
    pub rule: Option<RuleRef>,
    pub connections: ConnectionSet,
}

/// What one end's policies say about the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// Egress for the source, ingress for the destination.
    pub direction: Direction,
    /// The end whose policies these are.
    pub peer: PeerName,
    /// Whether policies govern this end at all (an address outside the cluster has none).
    pub governed: bool,
    pub allowed: ConnectionSet,
    /// In precedence order: admin policies, NetworkPolicies, the baseline, the default.
    pub decisions: Vec<Decision>,
}

/// Whether a connection is allowed, and why, on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    pub source: PeerName,
    pub destination: PeerName,
    pub egress: Side,
    pub ingress: Side,
    /// What both sides allow.
    pub allowed: ConnectionSet,
}

/// One end of a connection to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReachPeer {
    /// A workload or bare pod, by its index in the topology.
    Workload(usize),
    /// An address outside the cluster.
    External(Address),
    /// The ingress controller, where Ingress objects and Routes let traffic in.
    IngressController,
}

impl Reach {
    /// The same explanation about `wanted` only (a port the user asks about).
    pub fn restricted(mut self, wanted: &ConnectionSet) -> Reach {
        for side in [&mut self.egress, &mut self.ingress] {
            side.allowed = side.allowed.intersection(wanted);
            for decision in &mut side.decisions {
                decision.connections = decision.connections.intersection(wanted);
            }
            side.decisions.retain(|d| !d.connections.is_empty());
        }
        self.allowed = self.allowed.intersection(wanted);
        self
    }
}

impl Analysis {
    /// The peer `text` names: `NAMESPACE/NAME` or `NAME` of a workload or bare pod (with
    /// `[Kind]` to tell apart two of one name), an IP address outside the cluster, or
    /// `ingress-controller`.
    pub fn find_peer(&self, text: &str) -> Result<ReachPeer, String> {
        if matches!(text, "ingress-controller" | "{ingress-controller}") {
            return Ok(ReachPeer::IngressController);
        }
        if let Some(address) = Address::parse(text) {
            return Ok(ReachPeer::External(address));
        }
        let (name, kind) = match text.strip_suffix(']').and_then(|t| t.split_once('[')) {
            Some((name, kind)) => (name, Some(kind)),
            None => (text, None),
        };
        let matching: Vec<usize> = (0..self.topology.pods.len())
            .filter(|&i| {
                let pod = &self.topology.pods[i];
                PeerName::of(pod).is_named(name) && kind.is_none_or(|k| k == pod.kind)
            })
            .collect();
        match matching[..] {
            [index] => Ok(ReachPeer::Workload(index)),
            [] => Err(format!("no workload or pod `{text}` in the input")),
            _ => {
                let names: Vec<String> = matching
                    .iter()
                    .map(|&i| PeerName::of(&self.topology.pods[i]).to_string())
                    .collect();
                Err(format!(
                    "`{text}` names {}; write one of them",
                    names.join(", ")
                ))
            }
        }
    }

    fn peer_name(&self, peer: ReachPeer) -> PeerName {
        match peer {
            ReachPeer::Workload(index) => PeerName::of(&self.topology.pods[index]),
            ReachPeer::External(address) => PeerName::External(AddressRange {
                family: address.family,
                start: address.value,
                end: address.value,
            }),
            ReachPeer::IngressController => PeerName::IngressController,
        }
    }

    /// Whether `source` may connect to `destination`, with every decision on both sides.
    /// Fails for a pair that is not a connection rampart analyses (between two addresses
    /// outside the cluster, or towards the ingress controller).
    pub fn reach(&self, source: ReachPeer, destination: ReachPeer) -> Result<Reach, String> {
        let (controller, controller_labels) = ingress_controller();
        let endpoint = |peer: ReachPeer| match peer {
            ReachPeer::Workload(index) => self.endpoint(index),
            ReachPeer::External(address) => Endpoint::External(address),
            ReachPeer::IngressController => Endpoint::Pod {
                pod: &controller,
                namespace_labels: &controller_labels,
            },
        };
        let side = |end: ReachPeer, other: ReachPeer, direction: Direction| -> Side {
            let peer = self.peer_name(end);
            match end {
                ReachPeer::Workload(index) => {
                    let mut log = Vec::new();
                    let allowed = self.decide(index, endpoint(other), direction, Some(&mut log));
                    Side {
                        direction,
                        peer,
                        governed: true,
                        allowed,
                        decisions: log
                            .into_iter()
                            .map(|s| self.resolve(s, direction))
                            .collect(),
                    }
                }
                ReachPeer::IngressController => self.exposure(other, peer),
                ReachPeer::External(_) => Side {
                    direction,
                    peer,
                    governed: false,
                    allowed: ConnectionSet::all(),
                    decisions: Vec::new(),
                },
            }
        };
        match (source, destination) {
            (ReachPeer::Workload(a), ReachPeer::Workload(b)) if a == b => {
                return Err("a workload's connections to itself are not analysed".to_owned());
            }
            (ReachPeer::External(_), ReachPeer::External(_)) => {
                return Err("one end must be a workload of the cluster".to_owned());
            }
            (_, ReachPeer::IngressController) => {
                return Err("the ingress controller is a source only".to_owned());
            }
            (ReachPeer::IngressController, ReachPeer::External(_)) => {
                return Err("the ingress controller reaches workloads only".to_owned());
            }
            _ => {}
        }
        let egress = side(source, destination, Direction::Egress);
        let ingress = side(destination, source, Direction::Ingress);
        Ok(Reach {
            source: self.peer_name(source),
            destination: self.peer_name(destination),
            allowed: egress.allowed.intersection(&ingress.allowed),
            egress,
            ingress,
        })
    }

    /// The ingress controller's side: it reaches a workload on the ports Ingress objects and
    /// Routes expose, nothing else.
    fn exposure(&self, destination: ReachPeer, peer: PeerName) -> Side {
        let routes = self
            .ingress_routes
            .iter()
            .filter(|route| ReachPeer::Workload(route.pod) == destination);
        let decisions: Vec<Decision> = routes
            .map(|route| Decision {
                layer: Layer::Ingress,
                effect: Action::Allow,
                policy: Some(route.exposed_by.clone()),
                rule: None,
                connections: route.allowed.clone(),
            })
            .collect();
        Side {
            direction: Direction::Egress,
            peer,
            governed: true,
            allowed: decisions
                .iter()
                .fold(ConnectionSet::none(), |set, d| set.union(&d.connections)),
            decisions,
        }
    }

    /// Names the policy and rule of a recorded step.
    fn resolve(&self, step: Step, direction: Direction) -> Decision {
        let (policy, rule) = match (step.layer, step.policy) {
            (Layer::NetworkPolicy, Some(index)) => {
                let policy = &self.policies[index];
                let rule = step.rule.and_then(|r| {
                    let rule = policy.rules(direction)?.get(r)?;
                    Some(RuleRef {
                        index: r,
                        name: None,
                        location: rule.location.clone(),
                    })
                });
                let policy = PolicyRef {
                    kind: "NetworkPolicy".to_owned(),
                    namespace: Some(policy.namespace.clone()),
                    name: policy.name.clone(),
                    location: policy.location.clone(),
                };
                (Some(policy), rule)
            }
            (layer @ (Layer::AdminNetworkPolicy | Layer::BaselineAdminNetworkPolicy), Some(i)) => {
                let policy = if layer == Layer::AdminNetworkPolicy {
                    &self.admin_policies[i]
                } else {
                    &self.baseline_policies[i]
                };
                let rule = step.rule.and_then(|r| {
                    let rule = policy.rules(direction).get(r)?;
                    Some(RuleRef {
                        index: r,
                        name: Some(rule.name.clone()).filter(|n| !n.is_empty()),
                        location: rule.location.clone(),
                    })
                });
                let policy = PolicyRef {
                    kind: layer.name().to_owned(),
                    namespace: None,
                    name: policy.name.clone(),
                    location: policy.location.clone(),
                };
                (Some(policy), rule)
            }
            _ => (None, None),
        };
        Decision {
            layer: step.layer,
            effect: step.effect,
            policy,
            rule,
            connections: step.connections,
        }
    }
}
