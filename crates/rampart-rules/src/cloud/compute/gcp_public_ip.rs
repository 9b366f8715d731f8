use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GCP instances and templates with an external IP address: an `access_config` block in a
    /// `network_interface`.
    ///
    /// ## Why it matters
    /// An external address puts every port the firewall opens on the internet, and lets the
    /// machine reach the internet without passing through Cloud NAT and its logs.
    ///
    /// ## Example
    /// ```hcl
    ///   network_interface {
    ///     network = "default"
    ///     access_config {}
    ///   }
    /// ```
    /// Use instead: no `access_config`; reach the internet through Cloud NAT.
    pub struct GcpInstancePublicIp {
        code: "C807",
        name: "gcp-instance-public-ip",
        title: "Compute instance has an external IP address",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![CisGcp: ["4.9"], Cwe: ["CWE-668"]],
        equivalents: &[
            "checkov:CKV_GCP_40",
            "trivy:GCP-0031",
            "tfsec:google-compute-no-public-ip",
        ],
    }
}

impl Check<Resources> for GcpInstancePublicIp {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if !target.is(&[
            "google_compute_instance",
            "google_compute_instance_template",
        ]) {
            return;
        }
        let interfaces = target
            .resource
            .get("network_interface")
            .map(Value::items)
            .unwrap_or(&[]);
        for (index, interface) in interfaces.iter().enumerate() {
            if interface
                .get("access_config")
                .is_some_and(|c| !c.items().is_empty())
            {
                hits.push(Hit::new(
                    format!("/network_interface/{index}/access_config"),
                    "the instance has an external address: remove `access_config` and use Cloud NAT",
                ));
            }
        }
    }
}
