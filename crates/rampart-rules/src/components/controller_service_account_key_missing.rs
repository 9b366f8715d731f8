use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-controller-manager containers started without `--service-account-private-key-file`.
    ///
    /// ## Why it matters
    /// The key signs the tokens the controller manager writes into service account token
    /// Secrets. Without it the token controller does not run, and clusters that still rely on
    /// such Secrets get tokens some other way — often long-lived ones made by hand and never
    /// rotated. Set it to the private half of the pair the API server verifies with.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-controller-manager
    ///   - --kubeconfig=/etc/kubernetes/controller-manager.conf
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --service-account-private-key-file=/etc/kubernetes/pki/sa.key
    /// ```
    pub struct ControllerManagerServiceAccountKeyMissing {
        code: "K424",
        name: "controller-manager-service-account-key-missing",
        title: "Controller manager has no service account signing key",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.3.4"],
            Nsa: ["authentication-and-authorization"],
            Cwe: ["CWE-522"],
        ],
        equivalents: &[
            "kube-bench:1.3.4",
            "trivy:KCV-0036",
            "checkov:CKV_K8S_110",
            "kubescape:C-0147",
        ],
    }
}

impl Check<Objects> for ControllerManagerServiceAccountKeyMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ControllerManager,
            "service-account-private-key-file",
            Want::Set,
            "sign service account tokens with the key the API server verifies",
        );
    }
}
