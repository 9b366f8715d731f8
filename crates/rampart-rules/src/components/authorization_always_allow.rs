use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::authorization_modes;
use super::flags::{Element, check_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers whose authorization modes include `AlwaysAllow`, written in
    /// `--authorization-mode` or by default: without `--authorization-mode` and without
    /// `--authorization-config`, the binary authorizes with `AlwaysAllow` alone. An API server
    /// given `--authorization-config` takes its authorizers from that file and is not judged
    /// here.
    ///
    /// ## Why it matters
    /// Authorizers are asked in order until one decides; `AlwaysAllow` allows every request
    /// that reaches it, and RBAC never denies, only passes. Every authenticated identity — any pod's service account token, any node,
    /// anonymous requests too when anonymous auth is on — is in effect cluster-admin: it can read
    /// every Secret and run privileged pods on any node.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=AlwaysAllow
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --authorization-mode=Node,RBAC
    /// ```
    pub struct ApiserverAuthorizationAlwaysAllow {
        code: "K402",
        name: "apiserver-authorization-always-allow",
        title: "API server authorizes every request",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.6"],
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1078"],
            Cwe: ["CWE-862"],
        ],
        equivalents: &[
            "kube-bench:1.2.6",
            "trivy:KCV-0007",
            "checkov:CKV_K8S_74",
            "kubescape:C-0118",
        ],
    }
}

impl Check<Objects> for ApiserverAuthorizationAlwaysAllow {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_list(
            target,
            hits,
            Component::ApiServer,
            "authorization modes",
            authorization_modes,
            Element::Excludes("AlwaysAllow"),
            "authorize with `--authorization-mode=Node,RBAC`",
        );
    }
}
