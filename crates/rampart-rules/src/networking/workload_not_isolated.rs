use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::netpol::Direction;

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

/// Policies named as evidence, at most: enough to show the namespace uses policies.
const POLICIES_SHOWN: usize = 3;

declare_rule! {
    /// ## What it checks
    /// Workloads (and bare pods) that no NetworkPolicy selects for ingress, in namespaces that
    /// have NetworkPolicies: the namespace uses policies, and this workload escaped them,
    /// usually because its labels do not match the selector written for it. A workload that an
    /// AdminNetworkPolicy or BaselineAdminNetworkPolicy with a `Deny` ingress rule selects is
    /// restricted by the cluster-wide layer and not reported.
    ///
    /// Namespaces without any NetworkPolicy are reported once by K301 rather than once per
    /// workload here.
    ///
    /// ## Why it matters
    /// A pod no policy selects is not isolated: every pod of every namespace, and every address
    /// that reaches the pod network, may connect to every port it listens on. The policies
    /// beside it give the impression that the namespace is segmented.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   template:
    ///     metadata: {labels: {app: shop-api}}   # the policy selects app: api
    /// ```
    /// Use instead: labels the policy selects, or a default-deny policy for the namespace.
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: api, namespace: shop}
    /// spec:
    ///   template:
    ///     metadata: {labels: {app: api}}
    /// ```
    pub struct WorkloadNotIsolated {
        code: "K303",
        name: "workload-not-isolated",
        title: "Workload selected by no NetworkPolicy for ingress",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Cis: ["5.3.2"],
            Nsa: ["network-separation"],
            Mitre: ["T1210"],
            Cwe: ["CWE-923"],
        ],
        equivalents: &[
            "kube-linter:non-isolated-pod",
            "kubescape:C-0260",
            "polaris:missingNetworkPolicy",
        ],
    }
}

impl Check<Objects> for WorkloadNotIsolated {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let (Some(template), Some(netpol)) = (&target.pod, target.cluster.netpol()) else {
            return;
        };
        let Some(pod) = netpol.pod_of(target.object) else {
            return;
        };
        let namespace = &netpol.pod(pod).namespace;
        let in_namespace: Vec<usize> = (0..netpol.analysis.policies.len())
            .filter(|&p| netpol.analysis.policies[p].namespace == *namespace)
            .collect();
        if in_namespace.is_empty()
            || netpol
                .isolating_policies(pod, Direction::Ingress)
                .next()
                .is_some()
            || netpol.admin_restriction(pod, Direction::Ingress).is_some()
        {
            return;
        }
        let labels: Vec<String> = netpol
            .pod(pod)
            .labels
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        let labels = if labels.is_empty() {
            "no labels".to_owned()
        } else {
            format!("labels {}", labels.join(","))
        };
        let message = format!(
            "no NetworkPolicy selects these pods ({labels}) for ingress, although namespace `{namespace}` has {} policies: every pod of every namespace may connect to every port they listen on; make a policy's podSelector match them, or add a default-deny policy",
            in_namespace.len()
        );
        let evidence = in_namespace
            .iter()
            .take(POLICIES_SHOWN)
            .map(|&p| netpol.policy_evidence(p, "/spec/podSelector"))
            .collect();
        let pointer = format!("{}/labels", template.metadata_pointer);
        hits.push(Hit::new(pointer, message).with_evidence(evidence));
    }
}
