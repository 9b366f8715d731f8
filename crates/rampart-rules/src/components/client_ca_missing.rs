use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers started without `--client-ca-file`, the CA that client
    /// certificates are verified against.
    ///
    /// ## Why it matters
    /// Without it the API server accepts no client certificate: kubelets, the controller
    /// manager and the scheduler cannot authenticate the way kubeadm and the Node authorizer
    /// expect, and clusters set up this way fall back to long-lived static tokens or anonymous
    /// access to keep components working.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --client-ca-file=/etc/kubernetes/pki/ca.crt
    /// ```
    pub struct ApiserverClientCaMissing {
        code: "K473",
        name: "apiserver-client-ca-missing",
        title: "API server verifies no client certificates",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.25"],
            Nsa: ["authentication-and-authorization"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &["kube-bench:1.2.25", "trivy:KCV-0028", "kubescape:C-0139"],
    }
}

impl Check<Objects> for ApiserverClientCaMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "client-ca-file",
            Want::Set,
            "set `--client-ca-file` to the CA client certificates are issued by",
        );
    }
}
