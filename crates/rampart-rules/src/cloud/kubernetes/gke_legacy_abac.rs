use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters with legacy attribute-based access control (`enable_legacy_abac` true).
    ///
    /// ## Why it matters
    /// Legacy ABAC grants permissions outside RBAC, including wide ones to service accounts: any
    /// pod's token may then read Secrets cluster-wide, and RBAC reviews miss it.
    ///
    /// ## Example
    /// ```hcl
    ///   enable_legacy_abac = true
    /// ```
    /// Use instead:
    /// ```hcl
    ///   enable_legacy_abac = false
    /// ```
    pub struct GkeLegacyAbac {
        code: "C623",
        name: "gke-legacy-abac",
        title: "GKE legacy authorization (ABAC) enabled",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.8.3"], Cwe: ["CWE-285"]],
        equivalents: &[
            "checkov:CKV_GCP_7",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_cluster"],
    paths: &["enable_legacy_abac"],
    safe: is_not_true,
    default_safe: true,
    unless: never,
    message: "legacy ABAC grants broad permissions beside RBAC: set `enable_legacy_abac` to false",
};

impl Check<Resources> for GkeLegacyAbac {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
