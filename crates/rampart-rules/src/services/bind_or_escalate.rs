use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Rules that allow `bind` on `roles` or `clusterroles` (binding a role without holding its
    /// permissions) or `escalate` on them (writing a role with permissions one does not hold),
    /// judged by what their holders can really do with them: neither verb grants anything
    /// without the right to create the binding or write the role that uses it, so the authorizer
    /// is asked whether each holder has that too, where its binding applies. The finding says
    /// which binding or role the holder can write and what that gives, at high severity (medium
    /// for binding the Roles of one namespace); a grant no holder can use (a namespaced Role's
    /// `create clusterrolebindings` grants nothing, so with it `bind clusterroles` leads nowhere)
    /// is reported at low severity as no escalation. The API server checks `bind` and
    /// `escalate` on a ClusterRole in the namespace of the RoleBinding or Role being written, so
    /// a Role may grant them on `clusterroles`.
    ///
    /// ## Why it matters
    /// RBAC stops users from granting what they do not have, except to holders of these verbs. With
    /// `bind` on ClusterRoles and `create` on ClusterRoleBindings, anyone becomes cluster-admin by
    /// binding it to themselves; with `escalate` and `update` on ClusterRoles, by adding `*` to a role
    /// already bound to them (every authenticated user has `system:basic-user`). In a namespace, a
    /// RoleBinding to `admin` gives everything there.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     verbs: ["bind", "escalate"]
    /// ```
    /// Use instead: bind only the named roles a team may hand out.
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["roles"]
    ///     resourceNames: ["app-reader"]
    ///     verbs: ["bind"]
    /// ```
    pub struct RbacBindOrEscalate {
        code: "K206",
        name: "rbac-bind-or-escalate",
        title: "Role can bind or escalate roles",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.8"],
            Mitre: ["T1098"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["trivy:KSV-0050", "checkov:CKV_K8S_157", "checkov:CKV_K8S_158", "kubescape:C-0191"],
    }
}

impl Check<Objects> for RbacBindOrEscalate {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::BindOrEscalate, target, hits);
    }
}
