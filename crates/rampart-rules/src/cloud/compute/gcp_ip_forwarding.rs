use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GCP instances and templates allowed to forward packets (`can_ip_forward` true).
    ///
    /// ## Why it matters
    /// An instance that forwards packets can route traffic around firewall rules and spoof other
    /// addresses; only routers and NAT appliances need it.
    ///
    /// ## Example
    /// ```hcl
    ///   can_ip_forward = true
    /// ```
    /// Use instead:
    /// ```hcl
    ///   can_ip_forward = false
    /// ```
    pub struct GcpIpForwarding {
        code: "C806",
        name: "gcp-ip-forwarding",
        title: "Compute instance forwards IP packets",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![CisGcp: ["4.6"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_GCP_36",
            "trivy:GCP-0043",
            "tfsec:google-compute-no-ip-forwarding",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &[
        "google_compute_instance",
        "google_compute_instance_template",
    ],
    paths: &["can_ip_forward"],
    safe: is_not_true,
    default_safe: true,
    unless: never,
    message: "the instance may send and receive packets for other addresses: set `can_ip_forward` to false",
};

impl Check<Resources> for GcpIpForwarding {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
