use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::POD_PIDS_LIMIT;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose `podPidsLimit` (flag `--pod-max-pids`) is not a positive number; the
    /// default, `-1`, means no limit.
    ///
    /// ## Why it matters
    /// Process ids are shared by the whole node: one pod running a fork bomb exhausts them, and
    /// the kubelet, the container runtime and every other pod can no longer start a process.
    ///
    /// ## Example
    /// ```yaml
    /// podPidsLimit: -1
    /// ```
    /// Use instead:
    /// ```yaml
    /// podPidsLimit: 4096
    /// ```
    pub struct KubeletPodPidsUnlimited {
        code: "K442",
        name: "kubelet-pod-pids-unlimited",
        title: "Kubelet sets no limit on processes per pod",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.13"],
            Nsa: ["resource-policies"],
            Mitre: ["T1499"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &["kube-bench:4.2.13"],
    }
}

impl Check<Nodes> for KubeletPodPidsUnlimited {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &POD_PIDS_LIMIT,
            Want::Satisfies(
                |value| value.trim().parse::<i64>().is_ok_and(|limit| limit > 0),
                "a positive number",
            ),
            "set `podPidsLimit` to the most processes a pod may need, such as 4096",
        );
    }
}
