use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::MAKE_IPTABLES_UTIL_CHAINS;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose `makeIPTablesUtilChains` (flag `--make-iptables-util-chains`) is `false`.
    ///
    /// ## Why it matters
    /// The kubelet then leaves the utility chains (`KUBE-FIREWALL` and the marks that drop
    /// martian packets to localhost-bound services) to whoever else manages iptables; when no one
    /// does, rules that keep node-local services off the network are missing or drift.
    ///
    /// ## Example
    /// ```yaml
    /// makeIPTablesUtilChains: false
    /// ```
    /// Use instead:
    /// ```yaml
    /// makeIPTablesUtilChains: true
    /// ```
    pub struct KubeletIptablesChainsDisabled {
        code: "K435",
        name: "kubelet-iptables-chains-disabled",
        title: "Kubelet does not manage its iptables chains",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.6"],
            Nsa: ["control-plane-hardening"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &["kube-bench:4.2.6", "trivy:KCV-0084"],
    }
}

impl Check<Nodes> for KubeletIptablesChainsDisabled {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &MAKE_IPTABLES_UTIL_CHAINS,
            Want::Is("true"),
            "remove `makeIPTablesUtilChains: false` (or `--make-iptables-util-chains=false`)",
        );
    }
}
