use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::Field;

use super::kubelet::{described, hit_at};
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose feature gates (`featureGates` in the configuration, or
    /// `--feature-gates`) turn `RotateKubeletServerCertificate` off; it is on by default. The
    /// controller-manager side of the same gate is K426.
    ///
    /// ## Why it matters
    /// The gate lets the kubelet request its serving certificate from the cluster and renew it
    /// before it expires. Turned off, the kubelet falls back to a self-signed or hand-made
    /// certificate that the API server cannot verify or that silently expires.
    ///
    /// ## Example
    /// ```yaml
    /// featureGates:
    ///   RotateKubeletServerCertificate: false
    /// ```
    /// Use instead: remove the gate, or set it to `true`.
    pub struct KubeletServingRotationGateOff {
        code: "K440",
        name: "kubelet-serving-rotation-gate-off",
        title: "Kubelet's serving certificate rotation gate is off",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.11"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &["kube-bench:4.2.11", "trivy:KCV-0091"],
    }
}

/// The gate as a setting, for messages and the finding's identity.
const GATE: Field = Field {
    pointer: "/featureGates/RotateKubeletServerCertificate",
    flag: "feature-gates",
    kind: rampart_k8s::components::FlagKind::Scalar,
    flag_default: Some("true"),
    file_default: Some("true"),
    zero_means_default: false,
};

impl Check<Nodes> for KubeletServingRotationGateOff {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(kubelet) = &target.node.kubelet else {
            return;
        };
        let Some(gate) = kubelet.feature_gate("RotateKubeletServerCertificate") else {
            return;
        };
        if gate.value != "false" {
            return;
        }
        let message = format!(
            "{}: remove `RotateKubeletServerCertificate=false` from the kubelet's feature gates",
            described(&GATE, &gate)
        );
        hits.extend(hit_at(kubelet, &GATE, &gate, message));
    }
}
