use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::Subject;
use rampart_k8s::rbac::escalation::is_default_account;

use super::grants::subject_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings whose subjects include a service account named `default`.
    ///
    /// ## Why it matters
    /// Every pod of a namespace that names no service account runs as `default` and holds its token.
    /// A grant meant for one workload reaches all of them, including whatever is deployed there later,
    /// and the audit log cannot tell them apart.
    ///
    /// ## Example
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {namespace: shop}
    /// roleRef: {kind: Role, name: checkout-secrets}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: default
    ///     namespace: shop
    /// ```
    /// Use instead: a service account for the workload, bound alone.
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {namespace: shop}
    /// roleRef: {kind: Role, name: checkout-secrets}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: checkout
    ///     namespace: shop
    /// ```
    pub struct RbacDefaultAccountGrant {
        code: "K215",
        name: "rbac-default-service-account-grant",
        title: "Binding grants to a default service account",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.5"],
            Mitre: ["T1078.001", "T1528"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["checkov:CKV_K8S_42", "kubescape:C-0189"],
    }
}

impl Check<Objects> for RbacDefaultAccountGrant {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        subject_hits(target, hits, is_default_account, describe);
    }
}

fn describe(subject: &Subject, granted: &str) -> (String, Option<Severity>) {
    let message = format!(
        "grants {granted} to the default service account of namespace {}, which every pod \
         there that names no service account runs as; bind it to a service account of the \
         workload's own",
        subject.namespace
    );
    (message, None)
}
