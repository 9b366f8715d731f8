use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE node pools (and clusters' default pools, `node_config`) whose nodes run as the
    /// Compute Engine default service account: `node_config.service_account` left out or
    /// `default`.
    ///
    /// ## Why it matters
    /// The default service account has the project-wide Editor role in most projects: any
    /// pod that reaches the node's metadata server (every pod without Workload Identity)
    /// gets a token that can change almost everything in the project.
    ///
    /// ## Example
    /// ```hcl
    ///   node_config {
    ///     machine_type = "e2-standard-4"
    ///   }
    /// ```
    /// Use instead: a dedicated, minimal service account.
    /// ```hcl
    ///   node_config {
    ///     machine_type    = "e2-standard-4"
    ///     service_account = google_service_account.nodes.email
    ///   }
    /// ```
    pub struct GkeDefaultServiceAccount {
        code: "C628",
        name: "gke-nodes-default-service-account",
        title: "GKE nodes run as the default service account",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.2.1"], CisGcp: ["4.1"], Mitre: ["T1552.005"], Cwe: ["CWE-250"]],
        equivalents: &["trivy:GCP-0050", "tfsec:google-gke-use-service-account"],
    }
}

impl Check<Resources> for GkeDefaultServiceAccount {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let resource = target.resource;
        if !target.is(&["google_container_node_pool", "google_container_cluster"]) {
            return;
        }
        // An Autopilot cluster, or one whose default pool is removed, has no nodes of its own.
        if resource.kind == "google_container_cluster"
            && (resource.bool("enable_autopilot") == Some(true)
                || resource.bool("remove_default_node_pool") == Some(true))
        {
            return;
        }
        let account = resource.get("node_config/service_account");
        if account.is_some_and(Value::is_unknown) {
            return;
        }
        match account.and_then(Value::as_str) {
            Some(account) if account != "default" => {}
            _ => hits.push(Hit::new(
                "/node_config/service_account",
                "the nodes run as the Compute Engine default service account: set a dedicated `service_account`",
            )),
        }
    }
}
