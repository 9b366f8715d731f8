use rampart_cloud::Value;
use rampart_cloud::model::network::is_anywhere;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// AKS clusters whose API server accepts every address: not a private cluster
    /// (`private_cluster_enabled`) and no authorized IP ranges
    /// (`api_server_access_profile.authorized_ip_ranges`, `api_server_authorized_ip_ranges`
    /// before provider 4), or ranges that include the whole internet.
    ///
    /// ## Why it matters
    /// The Kubernetes API is then reachable from anywhere: stolen kubeconfigs and tokens work
    /// from an attacker's machine, and every API server flaw is exposed to internet scanning.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name = "main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   api_server_access_profile {
    ///     authorized_ip_ranges = ["203.0.113.0/24"]
    ///   }
    /// ```
    pub struct AksApiExposed {
        code: "C654",
        name: "aks-api-open-to-internet",
        title: "AKS API server open to the whole internet",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisAks: ["5.4.1", "5.4.2"], Mitre: ["T1190"], Cwe: ["CWE-284"]],
        equivalents: &["checkov:CKV_AZURE_6"],
    }
}

impl Check<Resources> for AksApiExposed {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let cluster = target.resource;
        if cluster.kind != "azurerm_kubernetes_cluster" {
            return;
        }
        let private = cluster.get("private_cluster_enabled");
        if private.is_some_and(Value::is_unknown) || private.and_then(Value::as_bool) == Some(true)
        {
            return;
        }
        let ranges = cluster
            .get("api_server_access_profile/authorized_ip_ranges")
            .or_else(|| cluster.get("api_server_authorized_ip_ranges"));
        if ranges.is_some_and(Value::has_unknown) {
            return;
        }
        let ranges: Vec<&str> = ranges
            .map(Value::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if ranges.is_empty() || ranges.iter().any(|range| is_anywhere(range)) {
            hits.push(Hit::new(
                "/api_server_access_profile",
                "the API server accepts every address: make the cluster private or set `authorized_ip_ranges`",
            ));
        }
    }
}
