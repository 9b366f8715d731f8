use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Rules that allow `create` on `pods/exec` or `pods/attach`, `get` on them (which API servers
    /// before v1.35 accept for websocket connections), or `patch` or `update` on
    /// `pods/ephemeralcontainers`.
    ///
    /// ## Why it matters
    /// A shell in a running container is its files, its network position and its service account
    /// token: whoever can exec into the pods of a namespace holds the permissions of every service
    /// account those pods run as. An ephemeral debug container does the same in any pod, whatever the
    /// pod's own containers allow.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods/exec"]
    ///     verbs: ["create"]
    /// ```
    /// Use instead: logs and status for day-to-day support; a time-limited, audited grant for debugging.
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get", "list"]
    /// ```
    pub struct RbacExecIntoPods {
        code: "K204",
        name: "rbac-exec-into-pods",
        title: "Role can exec into, attach to or debug pods",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Mitre: ["T1609"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["trivy:KSV-0053", "trivy:KSV-0054", "kubescape:C-0002"],
    }
}

impl Check<Objects> for RbacExecIntoPods {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::ExecIntoPods, target, hits);
    }
}
