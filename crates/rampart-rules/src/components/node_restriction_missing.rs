use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::admission_plugins;
use super::flags::{Element, check_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers that do not turn on the `NodeRestriction` admission plugin:
    /// it is not among the plugins on by default, so it must be named in
    /// `--enable-admission-plugins` (kubeadm does) and not named in
    /// `--disable-admission-plugins`.
    ///
    /// ## Why it matters
    /// The Node authorizer lets a kubelet modify Node and Pod objects; NodeRestriction limits
    /// that to its own Node and the pods bound to it, and stops it from setting labels under
    /// `node-restriction.kubernetes.io/`. Without it, a stolen kubelet credential can relabel any
    /// node, to attract pods that select sensitive nodes, or delete other nodes' pods.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=Node,RBAC
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --authorization-mode=Node,RBAC
    ///   - --enable-admission-plugins=NodeRestriction
    /// ```
    pub struct ApiserverNodeRestrictionMissing {
        code: "K405",
        name: "apiserver-node-restriction-missing",
        title: "API server does not enable the NodeRestriction admission plugin",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.14"],
            Nsa: ["control-plane-hardening"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &[
            "kube-bench:1.2.14",
            "trivy:KCV-0016",
            "checkov:CKV_K8S_85",
            "kubescape:C-0127",
        ],
    }
}

impl Check<Objects> for ApiserverNodeRestrictionMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_list(
            target,
            hits,
            Component::ApiServer,
            "admission plugins",
            admission_plugins,
            Element::Includes("NodeRestriction"),
            "add `NodeRestriction` to `--enable-admission-plugins`",
        );
    }
}
