//! Who can reach a workload from outside its namespace, for the rules about datastores and
//! kube-system: computed with the policy analysis, or everyone when the scan holds no policy.

use rampart_core::Evidence;
use rampart_k8s::netpol::{ConnectionSet, Direction, Inbound, Source};
use rampart_source::Node;

use super::common::list;
use crate::Target;

/// Sources named as evidence, at most.
const SOURCES_SHOWN: usize = 5;

/// Connections from outside a workload's namespace.
pub(super) struct Reachers {
    /// What they may open, among the connections asked about.
    pub allowed: ConnectionSet,
    /// Who, for people: `shop/web[Deployment], 0.0.0.0-255.255.255.255[External]`.
    pub who: String,
    /// Whether some come from outside the cluster (addresses, the ingress controller).
    pub outside: bool,
    pub evidence: Vec<Evidence>,
}

impl Reachers {
    /// `from any namespace and from outside the cluster`, as far as each holds.
    pub fn whence(&self) -> &'static str {
        if self.outside {
            "from any namespace or from outside the cluster"
        } else {
            "from any namespace"
        }
    }
}

/// Whether the object is a pod its controller stands for (reported on the controller).
fn has_controller(target: &Target<'_>) -> bool {
    target.object.kind == "Pod"
        && target
            .object
            .metadata()
            .get("ownerReferences")
            .is_some_and(|owners| !owners.items().is_empty())
}

/// Who outside the workload's namespace may open any of `wanted` on its pods, when any
/// namespace or sources outside the cluster may; `None` otherwise, or when the object is no
/// workload the analysis reports on. Pods of other namespaces that the policies name one by
/// one are clients someone chose: they are listed, but make no finding on their own.
pub(super) fn reachers(target: &Target<'_>, wanted: &ConnectionSet) -> Option<Reachers> {
    target.pod?;
    let Some(netpol) = target.cluster.netpol() else {
        if has_controller(target) {
            return None;
        }
        return Some(Reachers {
            allowed: wanted.clone(),
            who: "every pod and every address (the scan holds no NetworkPolicy)".to_owned(),
            outside: true,
            evidence: vec![Evidence {
                label: "policy",
                value: "none: the scan holds no NetworkPolicy, so everything is allowed".to_owned(),
                location: None,
            }],
        });
    };
    let pod = netpol.pod_of(target.object)?;
    let open: Vec<Inbound> = netpol
        .open_reach(pod)
        .into_iter()
        .filter(|reach| !reach.allowed.intersection(wanted).is_empty())
        .collect();
    let first = open.first()?;
    let allowed = open.iter().fold(ConnectionSet::none(), |set, reach| {
        set.union(&reach.allowed.intersection(wanted))
    });
    let outside = open
        .iter()
        .any(|reach| reach.source != Source::NewNamespace);
    // Pods of other namespaces are named too, once something open makes a finding.
    let named = netpol
        .reach_from_other_namespaces(pod)
        .into_iter()
        .filter(|reach| !reach.allowed.intersection(wanted).is_empty());
    let sources: Vec<Inbound> = open.iter().cloned().chain(named).collect();
    let names: Vec<String> = sources
        .iter()
        .map(|reach| netpol.source_name(&reach.source))
        .collect();
    let mut evidence: Vec<Evidence> = sources
        .iter()
        .take(SOURCES_SHOWN)
        .map(|reach| netpol.source_evidence(&reach.source))
        .collect();
    // Why the first of them gets in: the rules of the workload's ingress that allow it.
    evidence.extend(netpol.allowing(pod, &first.source, Direction::Ingress, wanted));
    Some(Reachers {
        allowed,
        who: list(&names),
        outside,
        evidence,
    })
}

/// The container ports of a pod spec: (pointer, protocol, number), TCP when unsaid.
pub(super) fn container_ports<'a>(
    spec: &'a Node,
    spec_pointer: &'a str,
) -> impl Iterator<Item = (String, &'a str, i64)> + 'a {
    spec.get("containers")
        .map_or(&[][..], Node::items)
        .iter()
        .enumerate()
        .flat_map(move |(c, container)| {
            container
                .get("ports")
                .map_or(&[][..], Node::items)
                .iter()
                .enumerate()
                .filter_map(move |(p, port)| {
                    let number = port.get("containerPort")?.as_i64()?;
                    let protocol = port.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
                    Some((
                        format!("{spec_pointer}/containers/{c}/ports/{p}/containerPort"),
                        protocol,
                        number,
                    ))
                })
        })
}
