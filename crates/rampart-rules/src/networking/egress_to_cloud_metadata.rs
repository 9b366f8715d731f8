use rampart_core::{Concern, Evidence, Layer, Severity, refs};
use rampart_k8s::netpol::{
    Address, AddressRange, ConnectionSet, Direction, Family, Protocol, Source,
};

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

/// 169.254.169.254: the instance metadata service of AWS, GCP, Azure, OpenStack and others.
const METADATA_ADDRESS: Address = Address {
    family: Family::V4,
    value: 0xA9FE_A9FE,
};

/// The metadata services answer plain HTTP on port 80.
const METADATA_PORT: u64 = 80;

declare_rule! {
    /// ## What it checks
    /// Workloads whose egress policies let them connect to the cloud instance metadata service,
    /// `169.254.169.254` on TCP port 80 (where AWS, GCP, Azure and OpenStack serve it). Computed
    /// with the policy analysis: what every layer (admin policies, NetworkPolicies, the
    /// baseline) allows the pod towards that address; the finding names the rules that allow
    /// it (an `ipBlock` of `0.0.0.0/0` without an `except` for it, a rule without `to`).
    ///
    /// Only workloads that some policy governs in egress are reported: where nothing restricts
    /// egress, K302 reports the namespace once.
    ///
    /// ## Why it matters
    /// The metadata service hands out the node's cloud credentials to whoever asks from the
    /// node's network, pods included unless the provider's protections (IMDSv2 hop limits,
    /// GKE metadata concealment, workload identity) are in place. A compromised pod, or a
    /// server-side request forgery in it, turns into the node's cloud identity.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
    /// ```
    /// Use instead: leave the metadata address out.
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]
    /// ```
    pub struct EgressToCloudMetadata {
        code: "K307",
        name: "egress-to-cloud-metadata",
        title: "Egress policies allow the cloud metadata address",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Nsa: ["network-separation"],
            Mitre: ["T1552.005"],
            Cwe: ["CWE-918"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for EgressToCloudMetadata {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(netpol) = target.cluster.netpol() else {
            return;
        };
        let Some(pod) = netpol.pod_of(target.object) else {
            return;
        };
        let source = Source::External(AddressRange {
            family: METADATA_ADDRESS.family,
            start: METADATA_ADDRESS.value,
            end: METADATA_ADDRESS.value,
        });
        let metadata = ConnectionSet::ports(Protocol::Tcp, METADATA_PORT, METADATA_PORT);
        let allowed = netpol
            .allowed_with_address(pod, METADATA_ADDRESS, Direction::Egress)
            .intersection(&metadata);
        if allowed.is_empty() || netpol.only_default(pod, &source, Direction::Egress) {
            return;
        }
        let mut evidence = netpol.allowing(pod, &source, Direction::Egress, &allowed);
        evidence.push(Evidence {
            label: "ports",
            value: allowed.to_string(),
            location: None,
        });
        let message = format!(
            "the egress policies of these pods allow the cloud metadata service (169.254.169.254, {allowed}): a compromised pod can fetch the node's cloud credentials; add `except: [169.254.169.254/32]` to the `ipBlock` that covers it, or narrow the rule"
        );
        hits.push(Hit::new("", message).with_evidence(evidence));
    }
}
