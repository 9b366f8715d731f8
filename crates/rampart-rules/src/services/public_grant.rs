use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::is_public;
use rampart_k8s::rbac::{AUTHENTICATED, Subject};

use super::grants::{subject_hits, subject_text};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings of the input whose subjects include the user
    /// `system:anonymous` or the groups `system:unauthenticated` or `system:authenticated`.
    ///
    /// Reported as critical for the anonymous user and the unauthenticated group, high for all
    /// authenticated users. The bindings a cluster creates itself (discovery, `system:basic-user`)
    /// are not in the input and are not reported.
    ///
    /// ## Why it matters
    /// Everyone who can reach the API server gets what such a binding grants, without credentials for
    /// the unauthenticated ones; `system:authenticated` includes every service account of every
    /// namespace and, on managed clusters, every identity of the cloud provider. It turns any leaked
    /// token, and on some providers any cloud account, into this grant.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// roleRef: {kind: ClusterRole, name: view}
    /// subjects:
    ///   - kind: Group
    ///     name: system:authenticated
    /// ```
    /// Use instead: the group that needs it.
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// roleRef: {kind: ClusterRole, name: view}
    /// subjects:
    ///   - kind: Group
    ///     name: developers
    /// ```
    pub struct RbacPublicGrant {
        code: "K214",
        name: "rbac-public-grant",
        title: "Binding grants to anonymous or all authenticated users",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Mitre: ["T1078.001"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &["trivy:KSV-0122", "kubescape:C-0262"],
    }
}

impl Check<Objects> for RbacPublicGrant {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        subject_hits(target, hits, is_public, describe);
    }
}

fn describe(subject: &Subject, granted: &str) -> (String, Option<Severity>) {
    let (who, severity) = if subject.name == AUTHENTICATED {
        (
            "every authenticated user and every service account of every namespace",
            Severity::High,
        )
    } else {
        (
            "anyone who can reach the API server, without credentials",
            Severity::Critical,
        )
    };
    let message = format!(
        "grants {granted} to {}: {who}; bind it to the group that needs it",
        subject_text(subject)
    );
    (message, Some(severity))
}
