use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// ClusterRole rules that allow `create` on `persistentvolumes`.
    ///
    /// ## Why it matters
    /// A PersistentVolume can be a `hostPath` on any node. A pod that claims it mounts the node's
    /// filesystem, and admission checks that forbid `hostPath` in pods (Pod Security Standards) do not
    /// see through the claim. Volumes are normally created by provisioners, not by people or
    /// workloads.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["persistentvolumes"]
    ///     verbs: ["create"]
    /// ```
    /// Use instead: claims against a StorageClass, in the namespace.
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["persistentvolumeclaims"]
    ///     verbs: ["create"]
    /// ```
    pub struct RbacCreatePersistentVolumes {
        code: "K212",
        name: "rbac-create-persistent-volumes",
        title: "Role can create PersistentVolumes",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.9"],
            Mitre: ["T1611"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["kubescape:C-0278"],
    }
}

impl Check<Objects> for RbacCreatePersistentVolumes {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::CreatePersistentVolumes, target, hits);
    }
}
