use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-controller-manager containers started without `--root-ca-file`.
    ///
    /// ## Why it matters
    /// The controller manager hands this CA to pods, in service account token Secrets as
    /// `ca.crt`, for them to verify the API server they send their token to. Without the flag
    /// it hands out the CA of its own kubeconfig instead, which is right only while that
    /// kubeconfig names the CA that signs the API server's certificate; after a CA rotation or
    /// with an external CA, pods that cannot verify the API server are pushed to skip
    /// verification, and whoever intercepts their traffic collects their tokens.
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
        references: refs![
            Cis: ["1.3.5"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &[
            "kube-bench:1.3.5",
            "trivy:KCV-0037",
            "checkov:CKV_K8S_111",
            "kubescape:C-0148",
        ],
    }
}

impl Check<Objects> for ControllerManagerRootCaMissing {
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
