use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::SECCOMP_DEFAULT;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose `seccompDefault` (flag `--seccomp-default`) is not `true`; it is off by
    /// default.
    ///
    /// ## Why it matters
    /// Containers that do not ask for a seccomp profile then run `Unconfined`, with every system
    /// call of the kernel available: the kernel attack surface container escapes go through.
    /// With the setting on, they get the runtime's default profile.
    ///
    /// ## Example
    /// ```yaml
    /// seccompDefault: false
    /// ```
    /// Use instead:
    /// ```yaml
    /// seccompDefault: true
    /// ```
    pub struct KubeletSeccompDefaultOff {
        code: "K443",
        name: "kubelet-seccomp-default-off",
        title: "Kubelet runs containers unconfined by default",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.14"],
            Nsa: ["pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &["kube-bench:4.2.14"],
    }
}

impl Check<Nodes> for KubeletSeccompDefaultOff {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &SECCOMP_DEFAULT,
            Want::Is("true"),
            "set `seccompDefault: true` (or `--seccomp-default`)",
        );
    }
}
