use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters whose nodes have public IP addresses: no `private_cluster_config` with
    /// `enable_private_nodes = true`.
    ///
    /// ## Why it matters
    /// Nodes with public addresses expose the kubelet, NodePorts and anything bound to the host
    /// network to the internet, guarded only by firewall rules.
    ///
    /// ## Example
    /// ```hcl
    ///   private_cluster_config {
    ///     enable_private_nodes = false
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   private_cluster_config {
    ///     enable_private_nodes    = true
    ///     master_ipv4_cidr_block  = "172.16.0.0/28"
    ///   }
    /// ```
    pub struct GkePrivateNodes {
        code: "C620",
        name: "gke-nodes-public",
        title: "GKE nodes have public IP addresses",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.6.5"], Cwe: ["CWE-668"]],
        equivalents: &[
            "checkov:CKV_GCP_64",
            "trivy:GCP-0059",
            "tfsec:google-gke-enable-private-cluster",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_cluster"],
    paths: &["private_cluster_config/enable_private_nodes"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "nodes get public addresses: set `private_cluster_config.enable_private_nodes` to true",
};

impl Check<Resources> for GkePrivateNodes {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
