use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_false, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters with Shielded GKE Nodes turned off (`enable_shielded_nodes` false; on by
    /// default).
    ///
    /// ## Why it matters
    /// Without Shielded Nodes, an attacker who extracts a node's bootstrap credentials (from the
    /// metadata server) can register a rogue node and receive the pods and Secrets scheduled to it.
    ///
    /// ## Example
    /// ```hcl
    ///   enable_shielded_nodes = false
    /// ```
    /// Use instead:
    /// ```hcl
    ///   enable_shielded_nodes = true
    /// ```
    pub struct GkeShieldedNodes {
        code: "C626",
        name: "gke-shielded-nodes-off",
        title: "GKE Shielded Nodes disabled",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.5.5"], Cwe: ["CWE-693"]],
        equivalents: &[
            "checkov:CKV_GCP_71",
            "trivy:GCP-0055",
            "tfsec:google-gke-node-shielding-enabled",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_cluster"],
    paths: &["enable_shielded_nodes"],
    safe: is_not_false,
    default_safe: true,
    unless: never,
    message: "nodes do not prove their identity: set `enable_shielded_nodes` to true",
};

impl Check<Resources> for GkeShieldedNodes {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
