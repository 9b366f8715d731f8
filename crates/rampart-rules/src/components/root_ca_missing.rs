use rampart_core::{Concern, Layer, References, Severity};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Target};

declare_rule! {
    /// ## What it checks
    /// kube-controller-manager containers started without `--root-ca-file`.
    ///
    /// ## Why it matters
    /// The controller manager puts this CA into service account token Secrets as `ca.crt`, so
    /// that pods can verify the API server they send their token to. Without it, pods are left
    /// to skip verification, and whoever can intercept their traffic to the API server
    /// collects their tokens.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-controller-manager
    ///   - --kubeconfig=/etc/kubernetes/controller-manager.conf
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --root-ca-file=/etc/kubernetes/pki/ca.crt
    /// ```
    pub struct ControllerManagerRootCaMissing {
        code: "K425",
        name: "controller-manager-root-ca-missing",
        title: "Controller manager gives pods no CA to verify the API server",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: References {
            pss: &[],
            cis: &["1.3.5"],
            nsa: &["control-plane-hardening"],
            mitre: &["T1557"],
            cwe: &["CWE-295"],
        },
        equivalents: &[
            "kube-bench:1.3.5",
            "trivy:KCV0037",
            "checkov:CKV_K8S_111",
            "kubescape:C-0148",
        ],
    }
}

impl Check for ControllerManagerRootCaMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ControllerManager,
            "root-ca-file",
            Want::Set,
            "set `--root-ca-file` to the cluster CA",
        );
    }
}
