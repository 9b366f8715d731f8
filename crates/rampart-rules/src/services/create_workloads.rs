use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Rules that allow `create` on `pods`, or `create`, `update` or `patch` on a controller that
    /// creates pods from a template: Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs,
    /// CronJobs and ReplicationControllers.
    ///
    /// ## Why it matters
    /// Whoever can create a pod in a namespace can name any service account of that namespace in it,
    /// mount its token and act as it; unless admission forbids it, the pod can also be privileged or
    /// mount the node's filesystem. Creating workloads in a namespace is therefore holding the
    /// permissions of its most powerful service account (in `kube-system`, controller accounts that
    /// lead to cluster-admin). `rampart rbac escalations` shows where it leads.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// roleRef: {kind: ClusterRole, name: edit}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: reporting
    ///     namespace: shop
    /// ```
    /// Use instead: read access where the job only reads, in its namespace.
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {namespace: shop}
    /// roleRef: {kind: ClusterRole, name: view}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: reporting
    ///     namespace: shop
    /// ```
    pub struct RbacCreateWorkloads {
        code: "K203",
        name: "rbac-create-workloads",
        title: "Role can create pods or pod controllers",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.4"],
            Mitre: ["T1610", "T1528"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["trivy:KSV-0048", "kubescape:C-0188"],
    }
}

impl Check<Objects> for RbacCreateWorkloads {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::CreateWorkloads, target, hits);
    }
}
