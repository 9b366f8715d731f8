use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters that enforce no NetworkPolicy: neither the network policy add-on
    /// (`network_policy.enabled`) nor GKE Dataplane V2 (`datapath_provider =
    /// "ADVANCED_DATAPATH"`, which enforces them itself). Autopilot clusters, which always use
    /// Dataplane V2, are left alone.
    ///
    /// ## Why it matters
    /// Without enforcement, NetworkPolicy objects are accepted and ignored: every pod reaches
    /// every other, so one compromised pod reaches the databases, the metadata service and
    /// the cluster's internal APIs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name = "main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   datapath_provider = "ADVANCED_DATAPATH"
    /// ```
    pub struct GkeNetworkPolicy {
        code: "C625",
        name: "gke-network-policy-off",
        title: "GKE cluster does not enforce NetworkPolicies",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.6.7"], Cis: ["5.3.2"], Cwe: ["CWE-923"]],
        equivalents: &[
            "checkov:CKV_GCP_12",
            "trivy:GCP-0056",
            "tfsec:google-gke-enable-network-policy",
        ],
    }
}

impl Check<Resources> for GkeNetworkPolicy {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let cluster = target.resource;
        if cluster.kind != "google_container_cluster" {
            return;
        }
        let settings = [
            cluster.get("network_policy/enabled"),
            cluster.get("datapath_provider"),
            cluster.get("enable_autopilot"),
        ];
        if settings.iter().flatten().any(|v| v.is_unknown()) {
            return;
        }
        let add_on = settings[0].and_then(Value::as_bool) == Some(true);
        let dataplane_v2 = settings[1].and_then(Value::as_str) == Some("ADVANCED_DATAPATH");
        let autopilot = settings[2].and_then(Value::as_bool) == Some(true);
        if !(add_on || dataplane_v2 || autopilot) {
            hits.push(Hit::new(
                "/network_policy",
                "NetworkPolicies are not enforced: use Dataplane V2 or enable `network_policy`",
            ));
        }
    }
}
