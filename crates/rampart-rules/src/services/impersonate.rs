use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Rules that allow `impersonate` on `users`, `groups` (any, or `system:masters`) or
    /// `serviceaccounts`. Users and groups are cluster-scoped: in a Role only the service
    /// accounts of its namespace count (the rest grants nothing, and the model warns of it).
    ///
    /// ## Why it matters
    /// Impersonation makes every request with `--as` the impersonated identity's: impersonating any
    /// user or service account is holding all of their permissions at once, and impersonating the
    /// group `system:masters` is cluster-admin, allowed before RBAC is even asked. The audit log names
    /// the impersonated identity, which hides who acted.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts", "users"]
    ///     verbs: ["impersonate"]
    /// ```
    /// Use instead: the one service account a release tool deploys as, by name.
    /// ```yaml
    /// kind: Role
    /// metadata: {namespace: shop}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts"]
    ///     resourceNames: ["deployer"]
    ///     verbs: ["impersonate"]
    /// ```
    pub struct RbacImpersonate {
        code: "K207",
        name: "rbac-impersonate",
        title: "Role can impersonate users, groups or service accounts",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.8"],
            Mitre: ["T1078", "T1550"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["trivy:KSV-0043", "kubescape:C-0065"],
    }
}

impl Check<Objects> for RbacImpersonate {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::Impersonate, target, hits);
    }
}
