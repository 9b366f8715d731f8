use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters without control plane authorized networks
    /// (`master_authorized_networks_config`).
    ///
    /// ## Why it matters
    /// Without authorized networks, the API server accepts connections from every address:
    /// credentials leaked anywhere work from anywhere.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name = "main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   master_authorized_networks_config {
    ///     cidr_blocks {
    ///       cidr_block   = "203.0.113.0/24"
    ///       display_name = "office"
    ///     }
    ///   }
    /// ```
    pub struct GkeAuthorizedNetworks {
        code: "C622",
        name: "gke-authorized-networks-off",
        title: "GKE control plane accepts every network",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.6.3"], Mitre: ["T1190"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_GCP_20",
            "trivy:GCP-0061",
            "tfsec:google-gke-enable-master-networks",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_cluster"],
    paths: &["master_authorized_networks_config"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "the control plane accepts connections from any address: add `master_authorized_networks_config` with your ranges",
};

impl Check<Resources> for GkeAuthorizedNetworks {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
