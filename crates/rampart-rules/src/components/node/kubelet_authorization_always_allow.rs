use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::AUTHORIZATION_MODE;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose effective `authorization.mode` (flag `--authorization-mode`) is
    /// `AlwaysAllow`, the default of a kubelet started without `--config`.
    ///
    /// ## Why it matters
    /// Every authenticated request to the kubelet API is allowed, and with anonymous
    /// authentication on (the same flag defaults) every request: `/exec`, `/run` and
    /// `/containerLogs` on port 10250 give a shell in any container of the node without a word
    /// to the API server, and no audit trail.
    ///
    /// ## Example
    /// ```yaml
    /// authorization:
    ///   mode: AlwaysAllow
    /// ```
    /// Use instead:
    /// ```yaml
    /// authorization:
    ///   mode: Webhook
    /// ```
    pub struct KubeletAuthorizationAlwaysAllow {
        code: "K431",
        name: "kubelet-authorization-always-allow",
        title: "Kubelet authorizes every request",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.2"],
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1609"],
            Cwe: ["CWE-862"],
        ],
        equivalents: &["kube-bench:4.2.2", "trivy:KCV-0080"],
    }
}

impl Check<Nodes> for KubeletAuthorizationAlwaysAllow {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &AUTHORIZATION_MODE,
            Want::IsNot("AlwaysAllow"),
            "set `authorization.mode: Webhook` (or `--authorization-mode=Webhook`)",
        );
    }
}
