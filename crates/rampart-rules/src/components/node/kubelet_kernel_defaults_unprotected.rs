use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::PROTECT_KERNEL_DEFAULTS;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose `protectKernelDefaults` (flag `--protect-kernel-defaults`) is not `true`;
    /// it is off by default. (Earlier CIS Benchmarks listed it as 4.2.6; v1.12 no longer does.)
    ///
    /// ## Why it matters
    /// Without it, the kubelet silently changes kernel tunables it depends on (overcommit, panic
    /// on OOM) instead of refusing to start when they differ: a node's hardened kernel settings
    /// drift back to what the kubelet prefers, unnoticed.
    ///
    /// ## Example
    /// ```yaml
    /// protectKernelDefaults: false
    /// ```
    /// Use instead (after setting the kernel parameters the kubelet expects):
    /// ```yaml
    /// protectKernelDefaults: true
    /// ```
    pub struct KubeletKernelDefaultsUnprotected {
        code: "K444",
        name: "kubelet-kernel-defaults-unprotected",
        title: "Kubelet may change kernel settings",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Nsa: ["control-plane-hardening"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &["trivy:KCV-0083"],
    }
}

impl Check<Nodes> for KubeletKernelDefaultsUnprotected {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &PROTECT_KERNEL_DEFAULTS,
            Want::Is("true"),
            "set the kernel parameters the kubelet expects, then `protectKernelDefaults: true`",
        );
    }
}
