use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::ROTATE_CERTIFICATES;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose effective `rotateCertificates` (flag `--rotate-certificates`) is `false`,
    /// its default when nothing sets it (kubeadm sets it to `true`).
    ///
    /// ## Why it matters
    /// The kubelet's client certificate is its identity towards the API server. Without rotation
    /// it is long-lived and renewed by hand: a stolen certificate stays valid for its whole
    /// lifetime, and an expired one takes the node out of the cluster.
    ///
    /// ## Example
    /// ```yaml
    /// rotateCertificates: false
    /// ```
    /// Use instead:
    /// ```yaml
    /// rotateCertificates: true
    /// ```
    pub struct KubeletClientRotationDisabled {
        code: "K439",
        name: "kubelet-client-rotation-disabled",
        title: "Kubelet does not rotate its client certificate",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.10"],
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1649"],
            Cwe: ["CWE-613"],
        ],
        equivalents: &["kube-bench:4.2.10", "trivy:KCV-0090"],
    }
}

impl Check<Nodes> for KubeletClientRotationDisabled {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &ROTATE_CERTIFICATES,
            Want::Is("true"),
            "set `rotateCertificates: true` (or `--rotate-certificates`)",
        );
    }
}
