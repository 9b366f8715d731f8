use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::authorization_modes;
use super::flags::{Element, check_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers whose authorization modes lack `Node` or `RBAC` (one finding
    /// for each). Modes come from `--authorization-mode`, or the binary's default
    /// (`AlwaysAllow`) when it is left out; an API server given `--authorization-config` is not
    /// judged here.
    ///
    /// ## Why it matters
    /// Without `RBAC`, Roles and bindings mean nothing: access is whatever the other modes
    /// (`ABAC` files, webhooks, `AlwaysAllow`) decide. Without `Node`, kubelets must be granted
    /// their access through RBAC, which cannot limit a node to the pods scheduled on it and their
    /// Secrets: one compromised node can then read the Secrets of every pod in the cluster.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=RBAC
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --authorization-mode=Node,RBAC
    /// ```
    pub struct ApiserverAuthorizersMissing {
        code: "K403",
        name: "apiserver-authorizers-missing",
        title: "API server does not authorize with Node and RBAC",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.7", "1.2.8"],
            Nsa: ["authentication-and-authorization"],
            Cwe: ["CWE-285"],
        ],
        equivalents: &[
            "kube-bench:1.2.7",
            "kube-bench:1.2.8",
            "trivy:KCV-0008",
            "trivy:KCV-0009",
            "checkov:CKV_K8S_75",
            "checkov:CKV_K8S_77",
            "kubescape:C-0119",
            "kubescape:C-0120",
        ],
    }
}

impl Check<Objects> for ApiserverAuthorizersMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for mode in ["Node", "RBAC"] {
            check_list(
                target,
                hits,
                Component::ApiServer,
                "authorization modes",
                authorization_modes,
                Element::Includes(mode),
                "authorize with `--authorization-mode=Node,RBAC`",
            );
        }
    }
}
