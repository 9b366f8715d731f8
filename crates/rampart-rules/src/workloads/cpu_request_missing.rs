use rampart_core::{Concern, Layer, Severity, refs};

use super::resources::{Bound, check_missing};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Regular and init containers without `resources.requests.cpu` and without
    /// `resources.limits.cpu` (Kubernetes uses the limit as the request when only the limit is
    /// set). Ephemeral containers cannot declare resources and are not checked.
    ///
    /// The check is per container: a `LimitRange` with a default CPU request in the target
    /// namespace would fill the value in at admission, and rampart does not look for one.
    ///
    /// ## Why it matters
    /// The scheduler places pods by their requests. A container that requests no CPU is
    /// scheduled as if it needed none, so nodes get packed beyond what they can serve; under
    /// contention it gets the smallest CPU share of all, and a pod with no requests at all is
    /// `BestEffort`, the first to be evicted. Capacity planning and fair sharing both depend
    /// on honest requests.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: registry.example.com/api:3.1.0
    /// ```
    /// Use instead:
    /// ```yaml
    ///     resources:
    ///       requests: {cpu: 200m, memory: 256Mi}
    /// ```
    pub struct CpuRequestMissing {
        code: "K135",
        name: "cpu-request-missing",
        title: "Container has no CPU request",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Nsa: ["resource-policies"],
            Mitre: ["T1499"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &[
            "trivy:KSV-0015",
            "checkov:CKV_K8S_10",
            "kubescape:C-0268",
            "kube-linter:unset-cpu-requirements",
            "polaris:cpuRequestsMissing",
        ],
    }
}

impl Check<Objects> for CpuRequestMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_missing(
            target,
            Bound::Request,
            "cpu",
            "the scheduler places it as if it needed no CPU",
            hits,
        );
    }
}
