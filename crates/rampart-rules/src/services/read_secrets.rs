use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Rules that allow `get`, `list` or `watch` on `secrets` without `resourceNames`: reading any
    /// Secret of a namespace, or of every namespace through a ClusterRoleBinding.
    ///
    /// Not reported: rules limited to named Secrets (`resourceNames`), which allow `get` of those only.
    ///
    /// ## Why it matters
    /// Secrets hold the credentials of everything the cluster talks to, and a namespace's long-lived
    /// service account tokens (created by the token controller before v1.24, or on purpose since) are
    /// Secrets too. Reading them is taking over whichever identity is the most powerful there;
    /// reading them cluster-wide usually includes a token bound to cluster-admin.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["get", "list"]
    /// ```
    /// Use instead: the one Secret the workload needs, or mount it.
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["payments-api"]
    ///     verbs: ["get"]
    /// ```
    pub struct RbacReadSecrets {
        code: "K202",
        name: "rbac-read-secrets",
        title: "Role can read Secrets",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.2"],
            Mitre: ["T1552.007", "T1528"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &["trivy:KSV-0041", "trivy:KSV-0113", "kubescape:C-0015", "kubescape:C-0186"],
    }
}

impl Check<Objects> for RbacReadSecrets {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::ReadSecrets, target, hits);
    }
}
