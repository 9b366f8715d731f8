use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters whose control plane has a public endpoint
    /// (`private_cluster_config.enable_private_endpoint` not true).
    ///
    /// ## Why it matters
    /// A public endpoint lets stolen kubeconfigs and tokens work from anywhere and exposes the API
    /// server to internet-wide scanning; with a private endpoint the API is reached only from the
    /// VPC or peered networks.
    ///
    /// ## Example
    /// ```hcl
    ///   private_cluster_config {
    ///     enable_private_nodes = true
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   private_cluster_config {
    ///     enable_private_nodes    = true
    ///     enable_private_endpoint = true
    ///   }
    /// ```
    pub struct GkePublicEndpoint {
        code: "C621",
        name: "gke-public-endpoint",
        title: "GKE control plane has a public endpoint",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.6.4"], Cwe: ["CWE-668"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_cluster"],
    paths: &["private_cluster_config/enable_private_endpoint"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "the control plane is reachable on a public address: set `private_cluster_config.enable_private_endpoint` to true",
};

impl Check<Resources> for GkePublicEndpoint {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
