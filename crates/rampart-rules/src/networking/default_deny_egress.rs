use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::netpol::Direction;

use super::segmentation::missing_default_deny;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Namespaces that run workloads in the scan without a NetworkPolicy selecting all their pods
    /// (`podSelector: {}`) for egress (`policyTypes` listing `Egress`). Such a policy makes every
    /// pod of the namespace, present or future, unable to open connections no policy allows.
    ///
    /// The finding is on the Namespace object, or on the namespace's first workload when the scan
    /// does not declare the namespace. Ingress is checked by K301.
    ///
    /// ## Why it matters
    /// Egress is how an attacker who runs code in a pod gets further: to the cloud metadata
    /// address for the node's credentials, to the API server and the kubelets, to databases of
    /// other namespaces, and out to the internet to fetch tools and send data. A default deny
    /// limits each workload to the destinations it was written for.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Namespace
    /// metadata: {name: shop}
    /// # ... workloads, and no egress policy with an empty podSelector
    /// ```
    /// Use instead: deny by default, allow DNS, then what each workload needs.
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny-egress, namespace: shop}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
    ///           podSelector: {matchLabels: {k8s-app: kube-dns}}
    ///       ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
    /// ```
    pub struct NamespaceWithoutDefaultDenyEgress {
        code: "K302",
        name: "namespace-without-default-deny-egress",
        title: "Namespace has no default-deny egress NetworkPolicy",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Cis: ["5.3.2"],
            Nsa: ["network-separation"],
            Mitre: ["T1552.005", "T1105"],
            Cwe: ["CWE-923"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for NamespaceWithoutDefaultDenyEgress {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        missing_default_deny(target, Direction::Egress, hits);
    }
}
