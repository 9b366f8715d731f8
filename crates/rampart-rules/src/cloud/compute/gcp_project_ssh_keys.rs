use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GCP instances and templates that accept the project's SSH keys (no `block-project-ssh-keys =
    /// true` in their metadata).
    ///
    /// ## Why it matters
    /// A key added to the project for one machine then opens all of them: one leaked laptop key
    /// reaches every VM, GKE nodes included.
    ///
    /// ## Example
    /// ```hcl
    ///   metadata = {}
    /// ```
    /// Use instead:
    /// ```hcl
    ///   metadata = {
    ///     block-project-ssh-keys = "true"
    ///   }
    /// ```
    pub struct GcpProjectSshKeys {
        code: "C805",
        name: "gcp-project-ssh-keys-allowed",
        title: "Compute instance accepts project-wide SSH keys",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![CisGcp: ["4.3"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_GCP_32",
            "trivy:GCP-0030",
            "tfsec:google-compute-no-project-wide-ssh-keys",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &[
        "google_compute_instance",
        "google_compute_instance_template",
    ],
    paths: &["metadata/block-project-ssh-keys"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "SSH keys of the whole project log in here: set the metadata `block-project-ssh-keys` to true",
};

impl Check<Resources> for GcpProjectSshKeys {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
