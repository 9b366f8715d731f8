use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::hit_on;
use crate::cloud::storage::bucket;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// S3 buckets whose default encryption is not SSE-KMS (`aws:kms` or `aws:kms:dsse`): none
    /// declared, which leaves S3's own keys (SSE-S3, the default since 2023), or `AES256`.
    ///
    /// ## Why it matters
    /// With S3-managed keys, anyone allowed `s3:GetObject` reads the data: the encryption
    /// adds no access control. A KMS key adds a second policy an attacker must also get past,
    /// records every decryption in CloudTrail, and can be disabled to cut access at once.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "data" {
    ///   bucket = "acme-data"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.data.arn
    ///     }
    ///   }
    /// }
    /// ```
    pub struct S3NotEncryptedWithCmk {
        code: "C202",
        name: "s3-not-encrypted-with-kms",
        title: "S3 bucket not encrypted with a KMS key",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_145",
            "trivy:AWS-0132",
            "tfsec:aws-s3-encryption-customer-key",
        ],
    }
}

impl Check<Resources> for S3NotEncryptedWithCmk {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(bucket) = bucket(target) else {
            return;
        };
        match &bucket.encryption {
            None => hits.push(Hit::new(
                "",
                "objects are encrypted with S3-managed keys only: set a default encryption with `aws:kms`",
            )),
            Some(setting) => {
                let algorithm = setting.value.get("sse_algorithm");
                if algorithm.is_some_and(|a| a.is_unknown()) {
                    return;
                }
                let algorithm = algorithm.and_then(|a| a.as_str()).unwrap_or("");
                if !algorithm.starts_with("aws:kms") {
                    hits.push(hit_on(
                        target,
                        setting.resource,
                        &setting.pointer,
                        format!("default encryption is `{algorithm}`, with S3-managed keys: use `aws:kms` with a customer managed key"),
                    ));
                }
            }
        }
    }
}
