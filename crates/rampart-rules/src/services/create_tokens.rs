use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Rules that allow `create` on `serviceaccounts/token` (the TokenRequest API).
    ///
    /// ## Why it matters
    /// A TokenRequest issues a fresh token for any service account of the namespace (every namespace,
    /// through a ClusterRoleBinding), valid for as long as asked up to the issuer's limit and usable
    /// from outside the cluster. It is holding the permissions of every service account there.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     verbs: ["create"]
    /// ```
    /// Use instead: projected token volumes in the pods that need tokens, or a grant limited to one
    /// account.
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     resourceNames: ["ci-runner"]
    ///     verbs: ["create"]
    /// ```
    pub struct RbacCreateTokens {
        code: "K208",
        name: "rbac-create-tokens",
        title: "Role can create service account tokens",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.13"],
            Mitre: ["T1528", "T1550.001"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["kubescape:C-0282"],
    }
}

impl Check<Objects> for RbacCreateTokens {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::CreateTokens, target, hits);
    }
}
