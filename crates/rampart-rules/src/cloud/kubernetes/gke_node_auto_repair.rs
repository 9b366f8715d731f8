use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_false, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE node pools with automatic repair turned off (`management.auto_repair` false).
    ///
    /// ## Why it matters
    /// Unhealthy nodes that are not replaced keep running in a degraded, often unpatched state;
    /// automatic repair restores them to a known image.
    ///
    /// ## Example
    /// ```hcl
    ///   management {
    ///     auto_repair = false
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   management {
    ///     auto_repair = true
    ///   }
    /// ```
    pub struct GkeNodeAutoRepair {
        code: "C633",
        name: "gke-node-auto-repair-off",
        title: "GKE node pool not repaired automatically",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.5.2"], Cwe: ["CWE-693"]],
        equivalents: &[
            "trivy:GCP-0063",
            "tfsec:google-gke-enable-auto-repair",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_node_pool"],
    paths: &["management/auto_repair"],
    safe: is_not_false,
    default_safe: true,
    unless: never,
    message: "failed nodes stay in the pool: set `management.auto_repair` to true",
};

impl Check<Resources> for GkeNodeAutoRepair {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
