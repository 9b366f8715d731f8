use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Cloud Storage buckets without uniform bucket-level access (`uniform_bucket_level_access`,
    /// false by default).
    ///
    /// ## Why it matters
    /// With per-object ACLs any object can be made public on its own, invisibly to whoever reviews
    /// the bucket's IAM policy; uniform access makes IAM the one place that decides.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_storage_bucket" "data" {
    ///   name     = "acme-data"
    ///   location = "EU"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "google_storage_bucket" "data" {
    ///   name                        = "acme-data"
    ///   location                    = "EU"
    ///   uniform_bucket_level_access = true
    /// }
    /// ```
    pub struct GcsUniformAccess {
        code: "C306",
        name: "gcs-uniform-access-off",
        title: "Cloud Storage bucket uses per-object ACLs",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![CisGcp: ["5.2"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_GCP_29",
            "trivy:GCP-0002",
            "tfsec:google-storage-enable-ubla",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_storage_bucket"],
    paths: &["uniform_bucket_level_access"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "objects carry their own ACLs: set `uniform_bucket_level_access` to true",
};

impl Check<Resources> for GcsUniformAccess {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
