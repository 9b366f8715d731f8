use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

/// Workloads named as evidence, at most.
const WORKLOADS_SHOWN: usize = 5;

declare_rule! {
    /// ## What it checks
    /// NetworkPolicies that select pods running on their node's network (`hostNetwork: true`).
    /// Kubernetes leaves NetworkPolicy behaviour for such pods undefined, and most network
    /// plugins cannot tell their traffic from the node's own: they apply no policy to it. The
    /// finding is on the policy, whose protection of those pods does not hold; the host network
    /// itself is reported by K102, on the workload.
    ///
    /// rampart's reachability (`rampart netpol`) analyses host-network pods like the others, as
    /// netpol-analyzer does: read its verdicts for them as what the policies say, not as what
    /// the cluster enforces.
    ///
    /// ## Why it matters
    /// Reviewers read the policy and believe the pods isolated, yet they accept connections from
    /// every pod and address that reaches the node, and reach everything the node reaches. An
    /// attacker who finds the port open has none of the obstacles the policy describes.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {name: agent, namespace: monitoring}
    /// spec:
    ///   podSelector: {matchLabels: {app: node-agent}}   # a DaemonSet with hostNetwork: true
    ///   ingress: [{from: [{podSelector: {matchLabels: {app: prometheus}}}]}]
    /// ```
    /// Use instead: run the agent on the pod network where it can be, or protect the node's
    /// ports with a host firewall (or a network plugin's host policies) and document it.
    /// ```yaml
    /// kind: DaemonSet
    /// spec:
    ///   template:
    ///     spec:
    ///       hostNetwork: false
    /// ```
    pub struct NetworkPolicyOnHostNetworkPod {
        code: "K311",
        name: "network-policy-on-host-network-pod",
        title: "NetworkPolicy selects host-network pods it cannot isolate",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Nsa: ["network-separation"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for NetworkPolicyOnHostNetworkPod {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(netpol) = target.cluster.netpol() else {
            return;
        };
        let Some(policy) = netpol.policy_of(target.object) else {
            return;
        };
        let on_host: Vec<usize> = netpol
            .selected_pods(policy)
            .filter(|&pod| netpol.pod(pod).host_network)
            .collect();
        if on_host.is_empty() {
            return;
        }
        let names: Vec<String> = on_host.iter().map(|&pod| netpol.peer_name(pod)).collect();
        let message = format!(
            "the policy selects pods on their node's network ({}): most network plugins apply no policy to them, so they stay reachable from, and reach, everything the node does; protect them with host firewall rules, or move them off the host network",
            super::common::list(&names)
        );
        let evidence = on_host
            .iter()
            .take(WORKLOADS_SHOWN)
            .map(|&pod| netpol.pod_evidence("workload", pod))
            .collect();
        hits.push(Hit::new("/spec/podSelector", message).with_evidence(evidence));
    }
}
