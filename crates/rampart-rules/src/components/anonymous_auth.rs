use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers whose `--anonymous-auth` is `true`, written or by default (the
    /// binary's default is `true`, and kubeadm leaves it so).
    ///
    /// ## Why it matters
    /// With anonymous auth on, a request that no authenticator accepts is not refused: it runs
    /// as `system:anonymous` in the group `system:unauthenticated`. Everything any binding grants
    /// these names — by a mistake, a chart or an old default — is then open to whoever reaches
    /// the API server's port, with no credential at all. Load balancers that probe
    /// `/healthz`, `/livez` or `/readyz` without credentials can be given those paths alone
    /// through the `anonymous` section of an `AuthenticationConfiguration` (Kubernetes 1.32 and
    /// later), which rampart does not read yet.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=Node,RBAC
    /// ```
    /// Use instead:
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --anonymous-auth=false
    ///   - --authorization-mode=Node,RBAC
    /// ```
    pub struct ApiserverAnonymousAuth {
        code: "K401",
        name: "apiserver-anonymous-auth",
        title: "API server accepts anonymous requests",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.1"],
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1190"],
            Cwe: ["CWE-306"],
        ],
        equivalents: &[
            "kube-bench:1.2.1",
            "trivy:KCV-0001",
            "checkov:CKV_K8S_68",
            "kubescape:C-0113",
        ],
    }
}

impl Check<Objects> for ApiserverAnonymousAuth {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "anonymous-auth",
            Want::Is("false"),
            "set `--anonymous-auth=false` so that unauthenticated requests are refused",
        );
    }
}
