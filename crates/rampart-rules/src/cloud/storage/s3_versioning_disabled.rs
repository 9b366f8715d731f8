use rampart_core::{Concern, Layer, Severity, refs};

use super::bucket;
use crate::cloud::hit_on;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// S3 buckets without versioning: none declared (inline `versioning {}`,
    /// `aws_s3_bucket_versioning`, `VersioningConfiguration`), or declared `Suspended` or
    /// `Disabled`.
    ///
    /// ## Why it matters
    /// Without versions, an overwrite or delete is final: ransomware that encrypts objects
    /// in place, a compromised key that deletes them, or a faulty deployment leaves nothing
    /// to restore.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "data" {
    ///   bucket = "acme-data"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_s3_bucket_versioning" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   versioning_configuration { status = "Enabled" }
    /// }
    /// ```
    pub struct S3VersioningDisabled {
        code: "C303",
        name: "s3-versioning-disabled",
        title: "S3 bucket without versioning",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![Cwe: ["CWE-693"]],
        equivalents: &[
            "checkov:CKV_AWS_21",
            "trivy:AWS-0090",
            "tfsec:aws-s3-enable-versioning",
        ],
    }
}

impl Check<Resources> for S3VersioningDisabled {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(bucket) = bucket(target) else {
            return;
        };
        match &bucket.versioning {
            None => hits.push(Hit::new(
                "",
                "versioning is not enabled: add an `aws_s3_bucket_versioning` with status `Enabled`",
            )),
            Some(setting) if setting.value.as_bool() == Some(false) => hits.push(hit_on(
                target,
                setting.resource,
                &setting.pointer,
                "versioning is turned off: set its status to `Enabled`".to_owned(),
            )),
            Some(_) => {}
        }
    }
}
