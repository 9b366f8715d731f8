use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::READ_ONLY_PORT;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose effective `readOnlyPort` (flag `--read-only-port`) is not `0`. A kubelet
    /// started without `--config` serves port 10255 by default.
    ///
    /// ## Why it matters
    /// The read-only port answers without authentication or authorization: anyone on the network
    /// lists the node's pods with their full specs (environment variables included) and reads
    /// its metrics, the reconnaissance an attacker needs for the next step.
    ///
    /// ## Example
    /// ```yaml
    /// readOnlyPort: 10255
    /// ```
    /// Use instead:
    /// ```yaml
    /// readOnlyPort: 0
    /// ```
    pub struct KubeletReadOnlyPort {
        code: "K433",
        name: "kubelet-read-only-port",
        title: "Kubelet serves its read-only port",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.4"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1552.007"],
            Cwe: ["CWE-306"],
        ],
        equivalents: &["kube-bench:4.2.4", "trivy:KCV-0082"],
    }
}

impl Check<Nodes> for KubeletReadOnlyPort {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &READ_ONLY_PORT,
            Want::Is("0"),
            "set `readOnlyPort: 0` (or `--read-only-port=0`)",
        );
    }
}
