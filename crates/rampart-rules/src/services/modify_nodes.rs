use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// ClusterRole rules that allow `patch` or `update` on `nodes`.
    ///
    /// ## Why it matters
    /// A node's labels and taints decide where pods run. Whoever can change them can attract
    /// workloads (a `nodeSelector` for `dedicated=payments`) onto a node they control, or cordon and
    /// taint nodes to move workloads away; node conditions and addresses can be falsified too. Only
    /// nodes themselves (restricted by the NodeRestriction admission plugin) and cluster operators
    /// need it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes"]
    ///     verbs: ["get", "list", "patch"]
    /// ```
    /// Use instead: read access.
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    pub struct RbacModifyNodes {
        code: "K211",
        name: "rbac-modify-nodes",
        title: "Role can modify nodes",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Mitre: ["T1610"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for RbacModifyNodes {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::ModifyNodes, target, hits);
    }
}
