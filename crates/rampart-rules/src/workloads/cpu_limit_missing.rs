use rampart_core::{Concern, Layer, Severity, refs};

use super::resources::{Bound, check_missing};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Regular and init containers without `resources.limits.cpu`. Ephemeral containers cannot
    /// declare resources and are not checked.
    ///
    /// The check is per container: a `LimitRange` with a default CPU limit in the target
    /// namespace would fill the value in at admission, and rampart does not look for one.
    /// Suppress the rule for namespaces that have it.
    ///
    /// ## Why it matters
    /// A container without a CPU limit may use every idle core of its node. Once compromised,
    /// it is a free cryptocurrency miner, and a busy loop in it (a bug or an attack) steals the
    /// spare CPU that neighbouring pods and the node's own daemons burst into, slowing the
    /// kubelet and the container runtime.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: worker
    ///     image: registry.example.com/worker:5.0.1
    ///     resources:
    ///       requests: {cpu: 250m, memory: 256Mi}
    /// ```
    /// Use instead:
    /// ```yaml
    ///     resources:
    ///       requests: {cpu: 250m, memory: 256Mi}
    ///       limits: {cpu: "1", memory: 256Mi}
    /// ```
    pub struct CpuLimitMissing {
        code: "K133",
        name: "cpu-limit-missing",
        title: "Container has no CPU limit",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Nsa: ["resource-policies"],
            Mitre: ["T1496"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &[
            "trivy:KSV-0011",
            "checkov:CKV_K8S_11",
            "kubescape:C-0270",
            "polaris:cpuLimitsMissing",
        ],
    }
}

impl Check<Objects> for CpuLimitMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_missing(
            target,
            Bound::Limit,
            "cpu",
            "it can take every idle core of its node",
            hits,
        );
    }
}
