use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE node pools that expose the node's metadata to pods: the legacy metadata endpoints
    /// turned back on (`node_config.metadata` `disable-legacy-endpoints = "false"`), or the
    /// node metadata server exposed (`workload_metadata_config.mode = "GCE_METADATA"`, or the
    /// older `node_metadata = "EXPOSE"`/`UNSPECIFIED`) instead of GKE's metadata server.
    ///
    /// ## Why it matters
    /// Pods that reach the node's metadata read the node's service account token and its
    /// bootstrap credentials (kube-env), from which an attacker can impersonate the node
    /// to the API server.
    ///
    /// ## Example
    /// ```hcl
    ///   node_config {
    ///     workload_metadata_config {
    ///       mode = "GCE_METADATA"
    ///     }
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   node_config {
    ///     workload_metadata_config {
    ///       mode = "GKE_METADATA"
    ///     }
    ///   }
    /// ```
    pub struct GkeNodeMetadataExposed {
        code: "C629",
        name: "gke-node-metadata-exposed",
        title: "GKE node metadata exposed to pods",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.4.1", "5.4.2"], Mitre: ["T1552.005"], Cwe: ["CWE-668"]],
        equivalents: &[
            "trivy:GCP-0048",
            "trivy:GCP-0057",
            "tfsec:google-gke-metadata-endpoints-disabled",
            "tfsec:google-gke-node-metadata-security",
        ],
    }
}

impl Check<Resources> for GkeNodeMetadataExposed {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let resource = target.resource;
        if !target.is(&["google_container_node_pool", "google_container_cluster"]) {
            return;
        }
        let legacy = resource
            .get("node_config/metadata")
            .and_then(|m| m.get("disable-legacy-endpoints"));
        if legacy.and_then(Value::as_bool) == Some(false) {
            hits.push(Hit::new(
                "/node_config/metadata",
                "the legacy metadata endpoints are enabled: set `disable-legacy-endpoints` to true",
            ));
        }
        let mode = resource
            .get("node_config/workload_metadata_config/mode")
            .or_else(|| resource.get("node_config/workload_metadata_config/node_metadata"));
        if let Some(mode) = mode.and_then(Value::as_str)
            && matches!(mode, "GCE_METADATA" | "EXPOSE" | "UNSPECIFIED")
        {
            hits.push(Hit::new(
                "/node_config/workload_metadata_config",
                format!("pods reach the node's metadata server (`{mode}`): use `GKE_METADATA`"),
            ));
        }
    }
}
