use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::netpol::Direction;

use super::segmentation::missing_default_deny;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Namespaces that run workloads in the scan without a NetworkPolicy selecting all their pods
    /// (`podSelector: {}`) for ingress. Such a policy, whatever rules it adds, makes every pod of
    /// the namespace, present or future, refuse connections that no policy allows.
    ///
    /// The finding is on the Namespace object, or on the namespace's first workload when the scan
    /// does not declare the namespace. Egress is checked by K302, so each direction can be
    /// selected or suppressed on its own. Only NetworkPolicies count: an AdminNetworkPolicy that
    /// denies traffic cluster-wide does not isolate pods that new workloads bring.
    ///
    /// ## Why it matters
    /// Kubernetes lets every pod connect to every other pod. Without a default deny, a workload
    /// added tomorrow, or one whose labels miss the policy written for it, accepts connections
    /// from every pod of the cluster: one compromised container can scan the network and reach
    /// databases, admin endpoints and internal APIs of other teams.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Namespace
    /// metadata: {name: shop}
    /// # ... workloads, and no policy with an empty podSelector
    /// ```
    /// Use instead: deny by default, then allow what each workload needs.
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny, namespace: shop}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ```
    pub struct NamespaceWithoutDefaultDenyIngress {
        code: "K301",
        name: "namespace-without-default-deny-ingress",
        title: "Namespace has no default-deny ingress NetworkPolicy",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Cis: ["5.3.2"],
            Nsa: ["network-separation"],
            Mitre: ["T1046", "T1210"],
            Cwe: ["CWE-923"],
        ],
        equivalents: &["kubescape:C-0054"],
    }
}

impl Check<Objects> for NamespaceWithoutDefaultDenyIngress {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        missing_default_deny(target, Direction::Ingress, hits);
    }
}
