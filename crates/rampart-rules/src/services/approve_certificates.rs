use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// ClusterRole rules that allow `update` on `certificatesigningrequests/approval`, or `approve` on
    /// the `signers` of `kubernetes.io` (the client signer, or `kubernetes.io/*`).
    ///
    /// ## Why it matters
    /// An approved request for the `kubernetes.io/kube-apiserver-client` signer becomes a client
    /// certificate for whatever user and groups it names, `system:masters` included, and certificates
    /// cannot be revoked before they expire. With `create` on requests as well, the holder issues
    /// itself cluster-admin credentials.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests/approval"]
    ///     verbs: ["update"]
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["signers"]
    ///     verbs: ["approve"]
    /// ```
    /// Use instead: approval for a signer of one's own, by name.
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["signers"]
    ///     resourceNames: ["example.com/mesh-workloads"]
    ///     verbs: ["approve"]
    /// ```
    pub struct RbacApproveCertificates {
        code: "K209",
        name: "rbac-approve-certificates",
        title: "Role can approve certificate signing requests",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.11"],
            Mitre: ["T1649"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["checkov:CKV_K8S_156", "kubescape:C-0280"],
    }
}

impl Check<Objects> for RbacApproveCertificates {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::ApproveCertificates, target, hits);
    }
}
