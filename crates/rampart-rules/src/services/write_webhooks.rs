use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// ClusterRole rules that allow `create`, `update` or `patch` on
    /// `mutatingwebhookconfigurations` or `validatingwebhookconfigurations`.
    ///
    /// ## Why it matters
    /// A webhook of one's own receives the objects it registers for as they are written, Secrets
    /// included; a mutating one can rewrite every new pod (its image, its service account, a host
    /// mount) and a changed policy webhook stops enforcing. It is control over everything admitted to
    /// the cluster from then on.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]
    ///     verbs: ["create", "update", "patch"]
    /// ```
    /// Use instead: read access for tools that list webhooks; installation by the cluster's deployer.
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]
    ///     verbs: ["get", "list"]
    /// ```
    pub struct RbacWriteWebhooks {
        code: "K210",
        name: "rbac-write-webhooks",
        title: "Role can change admission webhooks",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.12"],
            Mitre: ["T1562.001", "T1610"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["trivy:KSV-0114", "checkov:CKV_K8S_155", "kubescape:C-0281"],
    }
}

impl Check<Objects> for RbacWriteWebhooks {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::WriteWebhooks, target, hits);
    }
}
