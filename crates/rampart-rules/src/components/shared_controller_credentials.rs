use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-controller-manager containers whose `--use-service-account-credentials` is not
    /// `true`. The binary's default is `false`; kubeadm sets it to `true`.
    ///
    /// ## Why it matters
    /// With the flag off, every controller acts with the controller manager's own credential,
    /// which must then hold the union of what all controllers need. With it on, each controller
    /// uses a service account of its own in `kube-system`, bound by the built-in
    /// `system:controller:*` roles to what it needs, and the audit log names the controller that
    /// acted.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-controller-manager
    ///   - --kubeconfig=/etc/kubernetes/controller-manager.conf
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --kubeconfig=/etc/kubernetes/controller-manager.conf
    ///   - --use-service-account-credentials=true
    /// ```
    pub struct ControllerManagerSharedCredentials {
        code: "K413",
        name: "controller-manager-shared-credentials",
        title: "Controllers share the controller manager's credential",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.3.3"],
            Nsa: ["authentication-and-authorization"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &[
            "kube-bench:1.3.3",
            "trivy:KCV-0035",
            "checkov:CKV_K8S_108",
            "kubescape:C-0146",
        ],
    }
}

impl Check<Objects> for ControllerManagerSharedCredentials {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ControllerManager,
            "use-service-account-credentials",
            Want::Is("true"),
            "set `--use-service-account-credentials=true` to give each controller its own service account",
        );
    }
}
