use rampart_core::{Concern, Layer, Severity, refs};

use super::resources::{Bound, check_missing};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Regular and init containers without `resources.requests.memory` and without
    /// `resources.limits.memory` (Kubernetes uses the limit as the request when only the limit
    /// is set). Ephemeral containers cannot declare resources and are not checked.
    ///
    /// The check is per container: a `LimitRange` with a default memory request in the target
    /// namespace would fill the value in at admission, and rampart does not look for one.
    ///
    /// ## Why it matters
    /// Memory requests are what the scheduler reserves. A container that requests none lands
    /// on nodes that cannot hold it, and when memory runs short the kubelet evicts first the
    /// pods using more than they requested: with a zero request, that is this one, every time.
    /// Overcommitted nodes also make it easy for one noisy pod to push others out.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: indexer
    ///     image: registry.example.com/indexer:1.9.0
    ///     resources:
    ///       requests: {cpu: 500m}
    /// ```
    /// Use instead:
    /// ```yaml
    ///     resources:
    ///       requests: {cpu: 500m, memory: 1Gi}
    ///       limits: {memory: 1Gi}
    /// ```
    pub struct MemoryRequestMissing {
        code: "K136",
        name: "memory-request-missing",
        title: "Container has no memory request",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Nsa: ["resource-policies"],
            Mitre: ["T1499"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &[
            "trivy:KSV-0016",
            "checkov:CKV_K8S_12",
            "kubescape:C-0269",
            "polaris:memoryRequestsMissing",
        ],
    }
}

impl Check<Objects> for MemoryRequestMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_missing(
            target,
            Bound::Request,
            "memory",
            "the scheduler reserves no memory for it and the kubelet evicts it first",
            hits,
        );
    }
}
