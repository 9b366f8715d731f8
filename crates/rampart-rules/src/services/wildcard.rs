use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Rules of Roles and ClusterRoles whose `verbs` or `resources` hold `*`: a request for the verb or
    /// resource `*` is allowed, as the API server's authorizer decides it. A binding of the input to a
    /// built-in role with wildcards (`cluster-admin`) is reported at its `roleRef`.
    ///
    /// Reported as high when `*` verbs on `*` resources in `*` groups are held through a
    /// ClusterRoleBinding (that is cluster-admin), low when no binding of the input makes the rule
    /// effective.
    ///
    /// ## Why it matters
    /// A wildcard grants more than anyone reviewed: every verb includes `escalate`, `bind` and
    /// `impersonate`; every resource includes Secrets, `pods/exec`, `nodes/proxy` and whatever custom
    /// resources are installed later. `*` on `*` cluster-wide is cluster-admin, the power to do
    /// anything, including reading every Secret and running code on every node.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["*"]
    ///     verbs: ["*"]
    /// ```
    /// Use instead: the verbs and resources the workload uses.
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub struct RbacWildcard {
        code: "K201",
        name: "rbac-wildcard",
        title: "Role grants wildcard verbs or resources",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.1", "5.1.3"],
            Mitre: ["T1078"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &["trivy:KSV-0044", "trivy:KSV-0045", "trivy:KSV-0046", "checkov:CKV_K8S_49", "kubescape:C-0187"],
    }
}

impl Check<Objects> for RbacWildcard {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::Wildcard, target, hits);
    }
}
