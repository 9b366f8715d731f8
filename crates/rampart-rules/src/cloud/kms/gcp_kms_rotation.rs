use rampart_cloud::{Resource, Value};
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::Required;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Cloud KMS symmetric keys (`google_kms_crypto_key` for `ENCRYPT_DECRYPT`) without automatic
    /// rotation, or rotated less often than every 90 days (`rotation_period` above `7776000s`).
    ///
    /// ## Why it matters
    /// A key that is never rotated protects all data written under it with the same material; if
    /// the material leaks, so does everything ever encrypted with it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_kms_crypto_key" "data" {
    ///   name     = "data"
    ///   key_ring = google_kms_key_ring.main.id
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "google_kms_crypto_key" "data" {
    ///   name            = "data"
    ///   key_ring        = google_kms_key_ring.main.id
    ///   rotation_period = "7776000s"
    /// }
    /// ```
    pub struct GcpKmsRotation {
        code: "C209",
        name: "gcp-kms-key-not-rotated",
        title: "Cloud KMS key not rotated within 90 days",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![CisGcp: ["1.10"], Cwe: ["CWE-320"]],
        equivalents: &[
            "checkov:CKV_GCP_43",
            "trivy:GCP-0065",
            "tfsec:google-kms-rotate-kms-keys",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_kms_crypto_key"],
    paths: &["rotation_period"],
    safe: within_90_days,
    default_safe: false,
    unless: not_encrypt_decrypt,
    message: "the key is not rotated at least every 90 days: set `rotation_period` to `7776000s` or less",
};

impl Check<Resources> for GcpKmsRotation {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn within_90_days(value: &Value) -> bool {
    value
        .as_str()
        .and_then(|period| period.strip_suffix('s'))
        .and_then(|seconds| seconds.parse::<f64>().ok())
        .is_some_and(|seconds| seconds <= 90.0 * 24.0 * 3600.0)
}

/// Only symmetric encryption keys rotate automatically.
fn not_encrypt_decrypt(resource: &Resource) -> bool {
    resource
        .str("purpose")
        .is_some_and(|purpose| purpose != "ENCRYPT_DECRYPT")
}
