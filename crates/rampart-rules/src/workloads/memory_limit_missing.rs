use rampart_core::{Concern, Layer, Severity, refs};

use super::resources::{Bound, check_missing};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Regular and init containers without `resources.limits.memory`. Ephemeral containers
    /// cannot declare resources and are not checked.
    ///
    /// The check is per container: a `LimitRange` with a default memory limit in the target
    /// namespace would fill the value in at admission, and rampart does not look for one.
    /// Suppress the rule for namespaces that have it.
    ///
    /// ## Why it matters
    /// Memory, unlike CPU, cannot be throttled: a container without a limit grows until the
    /// node runs short, and then the kernel's OOM killer and the kubelet's evictions pick
    /// victims among every pod on the node. A leak, a decompression bomb or a deliberate
    /// allocation loop in one container becomes an outage for its neighbours.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: cache
    ///     image: registry.example.com/cache:2.3.0
    ///     resources:
    ///       requests: {cpu: 100m, memory: 512Mi}
    /// ```
    /// Use instead:
    /// ```yaml
    ///     resources:
    ///       requests: {cpu: 100m, memory: 512Mi}
    ///       limits: {memory: 512Mi}
    /// ```
    pub struct MemoryLimitMissing {
        code: "K134",
        name: "memory-limit-missing",
        title: "Container has no memory limit",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Nsa: ["resource-policies"],
            Mitre: ["T1499"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &[
            "trivy:KSV-0018",
            "checkov:CKV_K8S_13",
            "kubescape:C-0271",
            "kube-linter:unset-memory-requirements",
            "polaris:memoryLimitsMissing",
        ],
    }
}

impl Check<Objects> for MemoryLimitMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_missing(
            target,
            Bound::Limit,
            "memory",
            "it can grow until the node runs out of memory and other pods are killed or evicted",
            hits,
        );
    }
}
