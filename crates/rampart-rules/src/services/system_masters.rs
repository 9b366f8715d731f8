use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::Subject;
use rampart_k8s::rbac::escalation::is_masters;

use super::grants::{subject_hits, subject_text};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings with the group `system:masters` among their subjects.
    ///
    /// ## Why it matters
    /// The API server allows every request of a `system:masters` member before RBAC runs, so a binding
    /// adds nothing to them; it shows that credentials carrying the group are in use. Those are client
    /// certificates, which cannot be revoked before they expire and cannot be limited by removing a
    /// binding. Keep the group for break-glass access and give administrators a group of their own
    /// bound to `cluster-admin`.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// roleRef: {kind: ClusterRole, name: cluster-admin}
    /// subjects:
    ///   - kind: Group
    ///     name: system:masters
    /// ```
    /// Use instead: a group of your own, bound to what it needs.
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// roleRef: {kind: ClusterRole, name: cluster-admin}
    /// subjects:
    ///   - kind: Group
    ///     name: platform-admins
    /// ```
    pub struct RbacSystemMasters {
        code: "K213",
        name: "rbac-system-masters",
        title: "Binding names the system:masters group",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.7"],
            Mitre: ["T1078"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["kubescape:C-0246"],
    }
}

impl Check<Objects> for RbacSystemMasters {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        subject_hits(target, hits, is_masters, describe);
    }
}

fn describe(subject: &Subject, granted: &str) -> (String, Option<Severity>) {
    let message = format!(
        "{} is allowed everything before RBAC runs, so binding {granted} to it adds nothing; it \
         shows credentials carrying the group (client certificates, which cannot be revoked) \
         are in use: give administrators a group of their own",
        subject_text(subject)
    );
    (message, None)
}
