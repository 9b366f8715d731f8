use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GCP instances and templates with the interactive serial console enabled (`metadata`
    /// `serial-port-enable` true).
    ///
    /// ## Why it matters
    /// The serial console accepts connections from any address, bypassing firewall rules: whoever
    /// holds an SSH key in the project's metadata reaches the machine's console.
    ///
    /// ## Example
    /// ```hcl
    ///   metadata = {
    ///     serial-port-enable = "true"
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   metadata = {
    ///     block-project-ssh-keys = "true"
    ///   }
    /// ```
    pub struct GcpSerialPort {
        code: "C804",
        name: "gcp-serial-port-enabled",
        title: "Compute instance allows serial port access",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![CisGcp: ["4.5"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_GCP_35",
            "trivy:GCP-0032",
            "tfsec:google-compute-no-serial-port",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &[
        "google_compute_instance",
        "google_compute_instance_template",
    ],
    paths: &["metadata/serial-port-enable"],
    safe: is_not_true,
    default_safe: true,
    unless: never,
    message: "the interactive serial console is enabled: remove `serial-port-enable` from the metadata",
};

impl Check<Resources> for GcpSerialPort {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
