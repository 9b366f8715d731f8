use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

/// Workloads named as evidence, at most.
const WORKLOADS_SHOWN: usize = 3;

declare_rule! {
    /// ## What it checks
    /// NetworkPolicies whose `podSelector` selects none of the pods the scan runs in the
    /// policy's namespace. The rule only speaks when the scan holds workloads of that namespace:
    /// a policy shipped alone, or with manifests of other namespaces, may well select pods
    /// deployed from elsewhere, and is not reported.
    ///
    /// ## Why it matters
    /// A policy that selects nothing protects nothing. It usually means a selector written for
    /// labels the pods do not carry (`app: api` against `app.kubernetes.io/name: api`), so the
    /// workload it was meant for is not isolated while the policy suggests it is.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}   # the pods are labelled app: shop-api
    /// ```
    /// Use instead: the labels the pods carry.
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   podSelector: {matchLabels: {app: shop-api}}
    /// ```
    pub struct NetworkPolicySelectsNothing {
        code: "K304",
        name: "network-policy-selects-nothing",
        title: "NetworkPolicy selects no pod of its namespace",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Cis: ["5.3.2"],
            Nsa: ["network-separation"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for NetworkPolicySelectsNothing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(netpol) = target.cluster.netpol() else {
            return;
        };
        let Some(policy) = netpol.policy_of(target.object) else {
            return;
        };
        let namespace = &netpol.analysis.policies[policy].namespace;
        if !netpol.has_pods_in(namespace) || netpol.selected_pods(policy).next().is_some() {
            return;
        }
        let in_namespace: Vec<usize> = (0..netpol.analysis.topology.pods.len())
            .filter(|&pod| netpol.pod(pod).namespace == *namespace)
            .collect();
        let workloads = match in_namespace.len() {
            1 => "the one workload".to_owned(),
            n => format!("the {n} workloads"),
        };
        let message = format!(
            "podSelector matches no pod of {workloads} the scan runs in namespace `{namespace}`: the policy isolates nothing; make the selector match the labels of the pods it is meant for"
        );
        let evidence = in_namespace
            .iter()
            .take(WORKLOADS_SHOWN)
            .map(|&pod| netpol.pod_evidence("workload", pod))
            .collect();
        hits.push(Hit::new("/spec/podSelector", message).with_evidence(evidence));
    }
}
