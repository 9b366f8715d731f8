use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::rbac::escalation::TechniqueId;

use super::grants::technique_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// ClusterRole rules that allow `get` or `create` on `nodes/proxy`, held cluster-wide.
    ///
    /// ## Why it matters
    /// The kubelet authorizes its own API with `nodes/proxy`: with it, a request through the API
    /// server reaches the kubelet's `/exec`, `/run` and `/attach` endpoints of every node, so any
    /// container of the cluster can be made to run commands, and every token a pod holds can be read.
    /// `get` alone is enough for websocket connections. Kubelet requests bypass admission and are
    /// audited only as proxy calls.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes/proxy"]
    ///     verbs: ["get"]
    /// ```
    /// Use instead: the metrics endpoint, or `nodes/stats` for resource usage.
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes/stats", "nodes/metrics"]
    ///     verbs: ["get"]
    /// ```
    pub struct RbacNodeProxy {
        code: "K205",
        name: "rbac-node-proxy",
        title: "Role grants the kubelet API through nodes/proxy",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Services,
        references: refs![
            Cis: ["5.1.10"],
            Mitre: ["T1609", "T1611"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &["trivy:KSV-0047", "kubescape:C-0279"],
    }
}

impl Check<Objects> for RbacNodeProxy {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        technique_hits(TechniqueId::NodeProxy, target, hits);
    }
}
