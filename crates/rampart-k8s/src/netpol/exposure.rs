//! What the `K3xx` rules of `rampart scan` ask of the analysis: which scanned object each pod
//! stands for, where each policy is declared, which namespaces deny by default, and who can
//! reach a pod from outside its namespace, with the policy rules that let them.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use rampart_core::Evidence;
use rampart_source::Object;

use super::admin::AdminPolicy;
use super::decision::Layer;
use super::ingress::ingress_controller;
use super::ip::{Address, AddressRange};
use super::model::{Labels, NAMESPACE_NAME_LABEL, Pod};
use super::{
    Action, Analysis, ConnectionSet, Direction, Endpoint, NETWORKING_GROUP, POLICY_GROUP, PeerName,
    group_of,
};
use crate::position::index_in;
use rampart_core::Diagnostic;

/// Whether `object` is a NetworkPolicy or an admin network policy: without one, nothing
/// restricts traffic and the analysis has nothing to compute.
pub fn is_policy(object: &Object) -> bool {
    matches!(
        (group_of(&object.api_version), object.kind.as_str()),
        (NETWORKING_GROUP, "NetworkPolicy")
            | (
                POLICY_GROUP,
                "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy"
            )
    )
}

/// Where a connection comes from, seen from the pod it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A pod of the input (by index).
    Pod(usize),
    /// A pod without labels in a namespace that has only its name label: one the input does
    /// not show, such as a namespace created tomorrow, whose egress nothing restricts.
    NewNamespace,
    /// Addresses outside the cluster, an inclusive range no policy tells apart.
    External(AddressRange),
    /// Traffic entering through an Ingress or a Route.
    IngressController,
}

/// What one source may open towards a pod.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub source: Source,
    pub allowed: ConnectionSet,
}

/// Pods no policy tells apart, with members in two namespaces at most: enough to name a member
/// outside any one namespace.
#[derive(Debug)]
struct Classes {
    /// Per class: its first member, and its first member in another namespace.
    members: Vec<(usize, Option<usize>)>,
}

/// The network policy analysis of a scan, with the links back to the scanned objects (by
/// index, so that it can live beside them in the scan's `ClusterIndex`; [`Netpol`] joins the
/// two).
#[derive(Debug)]
pub struct Exposure {
    /// Shared with the mesh model, which reads the same reachability.
    pub analysis: Arc<Analysis>,
    pub diagnostics: Vec<Diagnostic>,
    /// The pod each workload object stands for, by the object's index.
    pod_of_object: HashMap<usize, usize>,
    /// The object each pod is reported on: its workload when the input has it, else the pod.
    object_of_pod: Vec<usize>,
    /// The object declaring each NetworkPolicy of the analysis, by index.
    policy_objects: Vec<Option<usize>>,
    /// The NetworkPolicy each policy object declares, by the object's index.
    policy_of_object: HashMap<usize, usize>,
    /// Namespaces with at least one pod in the input.
    namespaces_with_pods: HashSet<String>,
    classes: OnceLock<Classes>,
}

impl Exposure {
    pub fn new(objects: &[Object]) -> Exposure {
        let (analysis, diagnostics) = Analysis::new(objects);
        let namespace_of = |o: &Object| {
            o.namespace
                .clone()
                .unwrap_or_else(|| super::model::DEFAULT_NAMESPACE.to_owned())
        };
        let mut workloads: HashMap<(String, &str, &str), usize> = HashMap::new();
        for (index, object) in objects.iter().enumerate() {
            if crate::workload::runs_pods(&object.api_version, &object.kind) {
                workloads
                    .entry((namespace_of(object), &object.kind, &object.name))
                    .or_insert(index);
            }
        }
        let object_of_pod: Vec<usize> = analysis
            .topology
            .pods
            .iter()
            .map(|pod| {
                let key = (pod.namespace.clone(), pod.kind.as_str(), pod.name.as_str());
                workloads
                    .get(&key)
                    .copied()
                    .or(pod.object)
                    .expect("pods of the input are read from an object")
            })
            .collect();
        let pod_of_object = object_of_pod
            .iter()
            .enumerate()
            .map(|(pod, &object)| (object, pod))
            .collect();
        let mut declared: HashMap<(String, &str), usize> = HashMap::new();
        for (index, object) in objects.iter().enumerate().filter(|(_, o)| {
            group_of(&o.api_version) == NETWORKING_GROUP && o.kind == "NetworkPolicy"
        }) {
            declared
                .entry((namespace_of(object), &object.name))
                .or_insert(index);
        }
        let policy_objects: Vec<Option<usize>> = analysis
            .policies
            .iter()
            .map(|p| {
                declared
                    .get(&(p.namespace.clone(), p.name.as_str()))
                    .copied()
            })
            .collect();
        let policy_of_object = policy_objects
            .iter()
            .enumerate()
            .filter_map(|(policy, object)| Some(((*object)?, policy)))
            .collect();
        let namespaces_with_pods = analysis
            .topology
            .pods
            .iter()
            .map(|p| p.namespace.clone())
            .collect();
        Exposure {
            analysis: Arc::new(analysis),
            diagnostics,
            pod_of_object,
            object_of_pod,
            policy_objects,
            policy_of_object,
            namespaces_with_pods,
            classes: OnceLock::new(),
        }
    }

    pub fn pod(&self, index: usize) -> &Pod {
        &self.analysis.topology.pods[index]
    }

    pub fn has_pods_in(&self, namespace: &str) -> bool {
        self.namespaces_with_pods.contains(namespace)
    }

    /// Whether every namespace with pods in the input is declared by a Namespace object, so
    /// that namespace labels are known: then a namespace selector matching none of them
    /// matches nothing in the cluster the input describes.
    pub fn namespaces_complete(&self) -> bool {
        self.namespaces_with_pods
            .iter()
            .all(|ns| self.analysis.topology.namespace_labels.contains_key(ns))
    }

    /// Whether a NetworkPolicy of `namespace` selects all its pods (an empty `podSelector`) and
    /// governs `direction`: every pod there, present or future, is isolated that way.
    pub fn default_deny(&self, namespace: &str, direction: Direction) -> bool {
        self.analysis.policies.iter().any(|p| {
            p.namespace == namespace && p.pod_selector.is_empty() && p.rules(direction).is_some()
        })
    }

    /// The NetworkPolicies selecting `pod` that govern `direction`.
    pub fn isolating_policies(
        &self,
        pod: usize,
        direction: Direction,
    ) -> impl Iterator<Item = usize> + '_ {
        self.analysis.selections[pod]
            .network
            .iter()
            .copied()
            .filter(move |&p| self.analysis.policies[p].rules(direction).is_some())
    }

    /// The name of an admin network policy selecting `pod` with a `Deny` rule for `direction`:
    /// the cluster-wide layer restricts the pod even without a NetworkPolicy.
    pub fn admin_restriction(&self, pod: usize, direction: Direction) -> Option<&str> {
        let selection = &self.analysis.selections[pod];
        let admin = selection
            .admin
            .iter()
            .map(|&i| &self.analysis.admin_policies[i]);
        let baseline = selection
            .baseline
            .iter()
            .map(|&i| &self.analysis.baseline_policies[i]);
        admin
            .chain(baseline)
            .find(|policy| {
                let rules = match direction {
                    Direction::Ingress => &policy.ingress,
                    Direction::Egress => &policy.egress,
                };
                rules.iter().any(|rule| rule.action == Action::Deny)
            })
            .map(|policy| policy.name.as_str())
    }

    /// The pods NetworkPolicy `policy` selects.
    pub fn selected_pods(&self, policy: usize) -> impl Iterator<Item = usize> + '_ {
        let policy = &self.analysis.policies[policy];
        (0..self.analysis.topology.pods.len()).filter(move |&i| policy.selects(self.pod(i)))
    }

    /// The labels of the namespace of the pod at `index`.
    pub fn namespace_labels_of(&self, index: usize) -> &Labels {
        &self.analysis.namespace_labels[index]
    }

    /// What the pod at `pod` allows in `direction` with the address `address`.
    pub fn allowed_with_address(
        &self,
        pod: usize,
        address: Address,
        direction: Direction,
    ) -> ConnectionSet {
        self.analysis
            .allowed(pod, Endpoint::External(address), direction)
    }

    fn classes(&self) -> &Classes {
        self.classes.get_or_init(|| {
            let (class_of, representatives) = self.analysis.classes();
            let mut members: Vec<(usize, Option<usize>)> =
                representatives.iter().map(|&r| (r, None)).collect();
            for (pod, &class) in class_of.iter().enumerate() {
                let (first, other) = &mut members[class];
                if other.is_none() && self.pod(pod).namespace != self.pod(*first).namespace {
                    *other = Some(pod);
                }
            }
            Classes { members }
        })
    }

    /// The sources that stand for many and may open a connection to `pod`: a pod of a new
    /// namespace (any namespace, as far as selectors that name none go), every external address
    /// range, and the ingress controller where an Ingress routes to the pod. Sources that may
    /// open nothing are left out.
    pub fn open_reach(&self, pod: usize) -> Vec<Inbound> {
        let stand_ins = StandIns::new();
        let ingress_from = |source: &Source| {
            self.analysis.allowed(
                pod,
                self.source_endpoint(source, &stand_ins),
                Direction::Ingress,
            )
        };
        let mut sources = vec![Source::NewNamespace];
        sources.extend(
            self.analysis
                .external_ranges
                .iter()
                .map(|&range| Source::External(range)),
        );
        let mut reach: Vec<Inbound> = Vec::with_capacity(sources.len());
        for source in sources {
            let allowed = ingress_from(&source);
            // Neighbouring ranges allowed alike read as one.
            if let (
                Some(Inbound {
                    source: Source::External(previous_range),
                    allowed: previous,
                }),
                Source::External(range),
            ) = (reach.last_mut(), &source)
                && previous_range.family == range.family
                && previous_range.end + 1 == range.start
                && *previous == allowed
            {
                previous_range.end = range.end;
                continue;
            }
            reach.push(Inbound { source, allowed });
        }
        let routed = self
            .analysis
            .ingress_routes
            .iter()
            .filter(|route| route.pod == pod)
            .fold(ConnectionSet::none(), |set, route| {
                set.union(&route.allowed)
            });
        if !routed.is_empty() {
            let allowed = ingress_from(&Source::IngressController).intersection(&routed);
            reach.push(Inbound {
                source: Source::IngressController,
                allowed,
            });
        }
        reach.retain(|inbound| !inbound.allowed.is_empty());
        reach
    }

    /// The pods of other namespaces that may open a connection to `pod`, one per class of
    /// pods no policy tells apart (so a handful, however many pods there are).
    pub fn reach_from_other_namespaces(&self, pod: usize) -> Vec<Inbound> {
        let namespace = &self.pod(pod).namespace;
        self.classes()
            .members
            .iter()
            .filter_map(|&(first, other)| {
                let member = if self.pod(first).namespace != *namespace {
                    first
                } else {
                    other?
                };
                let allowed = self.analysis.pod_to_pod(member, pod);
                (!allowed.is_empty()).then_some(Inbound {
                    source: Source::Pod(member),
                    allowed,
                })
            })
            .collect()
    }

    /// The endpoint policies see for `source`, given stand-ins for the made-up peers.
    fn source_endpoint<'p>(&'p self, source: &Source, stand_ins: &'p StandIns) -> Endpoint<'p> {
        match source {
            Source::Pod(index) => self.analysis.endpoint(*index),
            Source::NewNamespace => {
                endpoint(&stand_ins.new_namespace.0, &stand_ins.new_namespace.1)
            }
            Source::External(range) => Endpoint::External(range.first()),
            Source::IngressController => endpoint(&stand_ins.controller.0, &stand_ins.controller.1),
        }
    }

    /// How people read a source: `shop/web[Deployment]`, `0.0.0.0-9.255.255.255[External]`.
    pub fn source_name(&self, source: &Source) -> String {
        match source {
            Source::Pod(index) => self.peer_name(*index),
            Source::NewNamespace => "any pod of a new namespace".to_owned(),
            Source::External(range) => format!("{range}[External]"),
            Source::IngressController => PeerName::IngressController.to_string(),
        }
    }

    /// `namespace/name[Kind]` of the pod at `index`.
    pub fn peer_name(&self, index: usize) -> String {
        let pod = self.pod(index);
        PeerName::Workload {
            namespace: pod.namespace.clone(),
            name: pod.name.clone(),
            kind: pod.kind.clone(),
        }
        .to_string()
    }
}

/// The analysis of a scan with the scan's objects, for evidence that points at them.
#[derive(Debug, Clone, Copy)]
pub struct Netpol<'c> {
    pub exposure: &'c Exposure,
    objects: &'c [Object],
}

impl std::ops::Deref for Netpol<'_> {
    type Target = Exposure;

    fn deref(&self) -> &Exposure {
        self.exposure
    }
}

impl<'c> Netpol<'c> {
    /// Joins an analysis with the objects it was built from.
    pub fn new(exposure: &'c Exposure, objects: &'c [Object]) -> Netpol<'c> {
        Netpol { exposure, objects }
    }

    /// The pod a workload object (or bare pod) of the scan stands for; `None` for other
    /// objects and for pods reported on their workload.
    pub fn pod_of(&self, object: &Object) -> Option<usize> {
        let index = index_in(self.objects, object)?;
        self.pod_of_object.get(&index).copied()
    }

    /// The NetworkPolicy `object` declares, when it parsed.
    pub fn policy_of(&self, object: &Object) -> Option<usize> {
        let index = index_in(self.objects, object)?;
        self.policy_of_object.get(&index).copied()
    }

    /// Evidence naming the pod at `index`, at the object it is reported on.
    pub fn pod_evidence(&self, label: &'static str, index: usize) -> Evidence {
        let object = &self.objects[self.object_of_pod[index]];
        Evidence {
            label,
            value: self.peer_name(index),
            location: Some(object.location(object.root.span)),
        }
    }

    /// Evidence naming a source, at its object when it is a pod of the input.
    pub fn source_evidence(&self, source: &Source) -> Evidence {
        match source {
            Source::Pod(index) => self.pod_evidence("peer", *index),
            _ => Evidence {
                label: "peer",
                value: self.source_name(source),
                location: None,
            },
        }
    }

    /// Evidence naming NetworkPolicy `policy`, at `pointer` inside it.
    pub fn policy_evidence(&self, policy: usize, pointer: &str) -> Evidence {
        let declared = &self.analysis.policies[policy];
        Evidence {
            label: "policy",
            value: format!("NetworkPolicy {}/{}", declared.namespace, declared.name),
            location: self.policy_objects[policy].map(|index| {
                let object = &self.objects[index];
                object.location(object.span_at(pointer))
            }),
        }
    }

    /// What allows `wanted` between `pod` and `source` on the pod's side (`direction`): each
    /// policy rule that allows part of it, with where it is written, or the note that no policy
    /// decides it (allowed by default). The same evaluation as the analysis, so the evidence
    /// cannot disagree with the verdict.
    pub fn allowing(
        &self,
        pod: usize,
        source: &Source,
        direction: Direction,
        wanted: &ConnectionSet,
    ) -> Vec<Evidence> {
        let stand_ins = StandIns::new();
        let peer = self.source_endpoint(source, &stand_ins);
        let mut log = Vec::new();
        self.analysis.decide(pod, peer, direction, Some(&mut log));
        let field = match direction {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        };
        log.iter()
            .filter(|step| {
                step.effect == Action::Allow && !step.connections.intersection(wanted).is_empty()
            })
            .map(|step| {
                let admin = |policies: &[AdminPolicy], kind: &str| {
                    let policy = step.policy.map(|p| &policies[p]);
                    let rules = policy.map(|p| match direction {
                        Direction::Ingress => &p.ingress,
                        Direction::Egress => &p.egress,
                    });
                    let rule = rules.zip(step.rule).and_then(|(rules, r)| rules.get(r));
                    Evidence {
                        label: "policy",
                        value: format!(
                            "{kind} {}, {field} rule `{}`",
                            policy.map_or("?", |p| p.name.as_str()),
                            rule.map_or("?", |r| r.name.as_str())
                        ),
                        location: rule
                            .map(|r| r.location.clone())
                            .or_else(|| policy.map(|p| p.location.clone())),
                    }
                };
                match step.layer {
                    Layer::NetworkPolicy => {
                        let policy = &self.analysis.policies[step.policy.unwrap_or_default()];
                        let rule = step.rule.unwrap_or_default();
                        Evidence {
                            label: "policy",
                            value: format!(
                                "NetworkPolicy {}/{}, {field} rule {rule}",
                                policy.namespace, policy.name
                            ),
                            location: policy
                                .rules(direction)
                                .and_then(|rules| rules.get(rule))
                                .map(|r| r.location.clone()),
                        }
                    }
                    Layer::AdminNetworkPolicy => {
                        admin(&self.analysis.admin_policies, "AdminNetworkPolicy")
                    }
                    Layer::BaselineAdminNetworkPolicy => admin(
                        &self.analysis.baseline_policies,
                        "BaselineAdminNetworkPolicy",
                    ),
                    Layer::Default | Layer::Ingress => Evidence {
                        label: "policy",
                        value: format!(
                            "none: no policy selects the pod for {field}, so everything is allowed"
                        ),
                        location: None,
                    },
                }
            })
            .collect()
    }

    /// Whether only the default decides `pod`'s traffic with `source` in `direction`: no
    /// policy of any layer speaks about it.
    pub fn only_default(&self, pod: usize, source: &Source, direction: Direction) -> bool {
        let stand_ins = StandIns::new();
        let peer = self.source_endpoint(source, &stand_ins);
        let mut log = Vec::new();
        self.analysis.decide(pod, peer, direction, Some(&mut log));
        log.iter().all(|step| step.layer == Layer::Default)
    }
}

/// The made-up peers: a pod of a new namespace and the ingress controller.
struct StandIns {
    new_namespace: (Pod, Labels),
    controller: (Pod, Labels),
}

impl StandIns {
    fn new() -> StandIns {
        StandIns {
            new_namespace: new_namespace_pod(),
            controller: ingress_controller(),
        }
    }
}

fn endpoint<'p>(pod: &'p Pod, namespace_labels: &'p Labels) -> Endpoint<'p> {
    Endpoint::Pod {
        pod,
        namespace_labels,
    }
}

/// The stand-in for a pod the input does not show: no labels, in a namespace with only its
/// name label, matched only by peers that take every pod or every namespace.
fn new_namespace_pod() -> (Pod, Labels) {
    const NAME: &str = "rampart-new-namespace";
    let pod = Pod {
        namespace: NAME.to_owned(),
        name: "any-pod".to_owned(),
        kind: "Pod".to_owned(),
        labels: Vec::new(),
        named_ports: Vec::new(),
        host_network: false,
        object: None,
    };
    (
        pod,
        vec![(NAMESPACE_NAME_LABEL.to_owned(), NAME.to_owned())],
    )
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    const INPUT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: data}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: db-5d8f9-x2x7q
  namespace: data
  labels: {app: db}
  ownerReferences: [{kind: ReplicaSet, name: db-5d8f9, controller: true}]
spec: {containers: [{name: db, image: postgres}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: data}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]
      ports: [{port: 5432}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: office, namespace: data}
spec:
  podSelector: {matchLabels: {app: admin}}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
";

    #[test]
    fn links_pods_and_policies_to_their_objects_and_explains_who_reaches_a_pod() {
        let (objects, errors) = parse_text("in.yaml", INPUT, &Limits::default());
        assert!(errors.is_empty());
        let exposure = Exposure::new(&objects);
        let netpol = Netpol::new(&exposure, &objects);
        // The Deployment stands for its pods; the Pod object is reported on it.
        let db = netpol.pod_of(&objects[0]).unwrap();
        assert_eq!(netpol.peer_name(db), "data/db[Deployment]");
        assert_eq!(netpol.pod_of(&objects[1]), None);
        assert_eq!(netpol.policy_of(&objects[4]), Some(1));
        assert!(netpol.default_deny("data", Direction::Ingress));
        assert!(!netpol.default_deny("data", Direction::Egress));
        assert!(!netpol.default_deny("shop", Direction::Ingress));

        // Only shop/web, on 5432: no new namespace, no address outside.
        assert!(netpol.open_reach(db).is_empty());
        let reach = netpol.reach_from_other_namespaces(db);
        let sources: Vec<String> = reach
            .iter()
            .map(|r| netpol.source_name(&r.source))
            .collect();
        assert_eq!(sources, ["shop/web[Deployment]"]);
        assert_eq!(reach[0].allowed.to_string(), "TCP 5432");
        let evidence = netpol.allowing(db, &reach[0].source, Direction::Ingress, &reach[0].allowed);
        assert_eq!(evidence.len(), 1);
        assert_eq!(evidence[0].value, "NetworkPolicy data/db, ingress rule 0");
        // The rule item, `- from:`, is line 39 of the input.
        assert_eq!(evidence[0].location.as_ref().unwrap().line, 39);

        // The web workload has no policy: everyone reaches it, by default.
        let web = netpol.pod_of(&objects[2]).unwrap();
        let reach = netpol.open_reach(web);
        assert_eq!(reach[0].source, Source::NewNamespace);
        // The office block cuts IPv4 in three ranges that web admits alike: named as one.
        assert_eq!(netpol.analysis.external_ranges.len(), 3);
        let outside: Vec<String> = reach[1..]
            .iter()
            .map(|r| netpol.source_name(&r.source))
            .collect();
        assert_eq!(outside, ["0.0.0.0-255.255.255.255[External]"]);
        assert!(
            reach
                .iter()
                .any(|r| matches!(r.source, Source::External(_)))
        );
        let evidence = netpol.allowing(
            web,
            &Source::NewNamespace,
            Direction::Ingress,
            &ConnectionSet::all(),
        );
        assert!(
            evidence[0]
                .value
                .starts_with("none: no policy selects the pod")
        );
        assert!(netpol.only_default(web, &Source::NewNamespace, Direction::Ingress));
    }
}
