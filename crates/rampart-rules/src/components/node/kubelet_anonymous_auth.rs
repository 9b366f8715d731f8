use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::{ANONYMOUS_AUTH, AUTHORIZATION_MODE};

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose effective `authentication.anonymous.enabled` (flag `--anonymous-auth`) is
    /// `true`. A kubelet started without `--config` allows anonymous requests by default; a
    /// configuration file defaults to `false`.
    ///
    /// ## Why it matters
    /// Anyone who reaches port 10250 is served as `system:anonymous`. With `AlwaysAllow`
    /// authorization that is exec into every container of the node; with `Webhook`
    /// authorization it still hands the API server's authorizer every anonymous request, one
    /// RBAC mistake away from the same. The finding is critical when the kubelet also
    /// authorizes with `AlwaysAllow`.
    ///
    /// ## Example
    /// ```yaml
    /// authentication:
    ///   anonymous:
    ///     enabled: true
    /// ```
    /// Use instead:
    /// ```yaml
    /// authentication:
    ///   anonymous:
    ///     enabled: false
    /// ```
    pub struct KubeletAnonymousAuth {
        code: "K430",
        name: "kubelet-anonymous-auth",
        title: "Kubelet accepts anonymous requests",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.1"],
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1609"],
            Cwe: ["CWE-306"],
        ],
        equivalents: &["kube-bench:4.2.1", "trivy:KCV-0079", "checkov:CKV_K8S_138"],
    }
}

impl Check<Nodes> for KubeletAnonymousAuth {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        let first = hits.len();
        check_kubelet(
            target,
            hits,
            &ANONYMOUS_AUTH,
            Want::Is("false"),
            "set `authentication.anonymous.enabled: false` (or `--anonymous-auth=false`)",
        );
        // With `AlwaysAllow`, anonymous is not a foothold but a shell on every container of
        // the node for anyone who reaches port 10250.
        let always_allow = target
            .node
            .kubelet
            .as_ref()
            .and_then(|kubelet| kubelet.setting(&AUTHORIZATION_MODE))
            .is_some_and(|mode| mode.value == "AlwaysAllow");
        if always_allow {
            for hit in &mut hits[first..] {
                hit.severity = Some(Severity::Critical);
                hit.message.push_str(
                    "; with `AlwaysAllow` authorization, anyone who reaches port 10250 can run commands in every container of the node",
                );
            }
        }
    }
}
