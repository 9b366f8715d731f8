use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// CloudTrail trails whose log files are not encrypted with a KMS key (`kms_key_id`,
    /// `KMSKeyId`).
    ///
    /// ## Why it matters
    /// The trail's bucket holds a complete map of the account: every principal, role and API call.
    /// With a KMS key, reading it also needs `kms:Decrypt`, which can be kept from the people and
    /// roles the trail watches.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    ///   kms_key_id     = aws_kms_key.trail.arn
    /// }
    /// ```
    pub struct CloudtrailNotEncrypted {
        code: "C703",
        name: "cloudtrail-not-encrypted-with-kms",
        title: "CloudTrail logs not encrypted with a KMS key",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Logging,
        references: refs![CisAws: ["3.5"], Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_35",
            "trivy:AWS-0015",
            "tfsec:aws-cloudtrail-encryption-customer-managed-key",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_cloudtrail"],
    paths: &["kms_key_id"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "the trail's logs are encrypted with S3-managed keys only: set `kms_key_id`",
};

impl Check<Resources> for CloudtrailNotEncrypted {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
