use rampart_cloud::Resource;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GCP subnets without VPC flow logs (no `log_config`). Proxy-only subnets of load balancers,
    /// which cannot have them, are left alone.
    ///
    /// ## Why it matters
    /// Flow logs are the record of which pod or VM talked to which address: without them,
    /// exfiltration, lateral movement and a compromised node's scanning leave no trace in the
    /// network.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_compute_subnetwork" "nodes" {
    ///   name          = "nodes"
    ///   ip_cidr_range = "10.2.0.0/16"
    ///   network       = google_compute_network.main.id
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "google_compute_subnetwork" "nodes" {
    ///   name          = "nodes"
    ///   ip_cidr_range = "10.2.0.0/16"
    ///   network       = google_compute_network.main.id
    ///   log_config {
    ///     aggregation_interval = "INTERVAL_5_SEC"
    ///     flow_sampling        = 0.5
    ///   }
    /// }
    /// ```
    pub struct GcpSubnetFlowLogs {
        code: "C704",
        name: "gcp-subnet-flow-logs-off",
        title: "GCP subnet without VPC flow logs",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Logging,
        references: refs![CisGcp: ["3.8"], CisGke: ["5.6.1"], Cwe: ["CWE-778"]],
        equivalents: &[
            "checkov:CKV_GCP_26",
            "trivy:GCP-0029",
            "tfsec:google-compute-enable-vpc-flow-logs",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_compute_subnetwork"],
    paths: &["log_config"],
    safe: is_set,
    default_safe: false,
    unless: proxy_only_subnet,
    message: "no flow logs are kept for this subnet: add a `log_config` block",
};

impl Check<Resources> for GcpSubnetFlowLogs {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

/// Proxy-only subnets of load balancers cannot keep flow logs.
fn proxy_only_subnet(resource: &Resource) -> bool {
    matches!(
        resource.str("purpose"),
        Some("INTERNAL_HTTPS_LOAD_BALANCER" | "REGIONAL_MANAGED_PROXY" | "GLOBAL_MANAGED_PROXY")
    )
}
