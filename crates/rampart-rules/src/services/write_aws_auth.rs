use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Rules that allow `update` or `patch` on the ConfigMap `aws-auth` in `kube-system` (by name, or
    /// on all ConfigMaps there): ClusterRoles held cluster-wide, and Roles of `kube-system`.
    ///
    /// ## Why it matters
    /// On EKS, `aws-auth` maps AWS IAM roles and users to Kubernetes users and groups. Whoever can
    /// change it can map an IAM role they control to `system:masters`, and become cluster-admin from
    /// outside the cluster with nothing in RBAC to show for it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// metadata: {namespace: kube-system}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get", "update", "patch"]
    /// ```
    /// Use instead: EKS access entries for cluster access, and read access to ConfigMaps where
    /// needed.
    /// ```yaml
    /// kind: Role
    /// metadata: {namespace: kube-system}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get"]
    /// ```
    pub struct RbacWriteAwsAuth {
        code: "K216",
        name: "rbac-write-aws-auth",
        title: "Role can change the EKS aws-auth ConfigMap",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Mitre: ["T1098"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["trivy:KSV-0115"],
    }
}

impl Check<Objects> for RbacWriteAwsAuth {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::WriteAwsAuth, target, hits);
    }
}
