use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_false, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE node pools with automatic upgrades turned off (`management.auto_upgrade` false).
    ///
    /// ## Why it matters
    /// Node images carry the kernel, container runtime and kubelet: a pool that is not upgraded
    /// keeps their published vulnerabilities, container escapes included.
    ///
    /// ## Example
    /// ```hcl
    ///   management {
    ///     auto_upgrade = false
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   management {
    ///     auto_upgrade = true
    ///     auto_repair  = true
    ///   }
    /// ```
    pub struct GkeNodeAutoUpgrade {
        code: "C632",
        name: "gke-node-auto-upgrade-off",
        title: "GKE node pool not upgraded automatically",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.5.3"], Cwe: ["CWE-1104"]],
        equivalents: &[
            "trivy:GCP-0058",
            "tfsec:google-gke-enable-auto-upgrade",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_node_pool"],
    paths: &["management/auto_upgrade"],
    safe: is_not_false,
    default_safe: true,
    unless: never,
    message: "the nodes keep their version until someone upgrades them: set `management.auto_upgrade` to true",
};

impl Check<Resources> for GkeNodeAutoUpgrade {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
