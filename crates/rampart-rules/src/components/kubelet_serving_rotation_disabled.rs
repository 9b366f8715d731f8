use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::{Component, split_list};

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-controller-manager containers whose `--feature-gates` turn
    /// `RotateKubeletServerCertificate` off (it is on by default).
    ///
    /// ## Why it matters
    /// The gate lets kubelets obtain their serving certificate from the cluster's certificates
    /// API and renew it before it expires (with `serverTLSBootstrap` on the kubelets). Without
    /// it, kubelets serve a self-signed certificate, and the API server cannot verify the
    /// kubelets it sends exec, logs and port-forward traffic to.
    ///
    /// ## Example
    /// ```yaml
    ///   - --feature-gates=RotateKubeletServerCertificate=false
    /// ```
    /// Use instead: remove the gate, or set it to `true`.
    pub struct KubeletServingRotationDisabled {
        code: "K426",
        name: "kubelet-serving-rotation-disabled",
        title: "Kubelet serving certificate rotation is turned off",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.3.6"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &[
            "kube-bench:1.3.6",
            "trivy:KCV-0038",
            "checkov:CKV_K8S_112",
            "kubescape:C-0149",
        ],
    }
}

impl Check<Objects> for KubeletServingRotationDisabled {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ControllerManager,
            "feature-gates",
            Want::Satisfies(rotation_on, "RotateKubeletServerCertificate not turned off"),
            "remove `RotateKubeletServerCertificate=false` from `--feature-gates`",
        );
    }
}

/// Whether the gates leave `RotateKubeletServerCertificate` on; a gate's value reads as Go
/// booleans do.
fn rotation_on(gates: &str) -> bool {
    split_list(gates).all(|gate| match gate.split_once('=') {
        Some((name, value)) if name.trim() == "RotateKubeletServerCertificate" => {
            !matches!(value.trim(), "0" | "f" | "F" | "FALSE" | "false" | "False")
        }
        _ => true,
    })
}
