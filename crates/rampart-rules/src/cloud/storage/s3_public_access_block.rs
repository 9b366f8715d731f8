use rampart_core::{Concern, Layer, Severity, refs};

use super::{FLAGS, blocks, bucket};
use crate::cloud::hit_on;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// S3 buckets whose Block Public Access settings are not all on: declared with a setting
    /// off (`block_public_acls`, `block_public_policy`, `ignore_public_acls`,
    /// `restrict_public_buckets`), or not declared at all — neither for the bucket
    /// (`aws_s3_bucket_public_access_block`, CloudFormation's
    /// `PublicAccessBlockConfiguration`) nor for the account
    /// (`aws_s3_account_public_access_block`). A setting turned off is high; one left to
    /// AWS's default for new buckets (all on since April 2023) is low, since nothing in the
    /// configuration keeps it so.
    ///
    /// ## Why it matters
    /// Block Public Access is the guard that stays in place when a bucket policy or an ACL
    /// grants `*` by mistake: without it, one bad statement publishes the bucket's objects
    /// to the internet, the most common cause of cloud data leaks.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_public_access_block" "data" {
    ///   bucket              = aws_s3_bucket.data.id
    ///   block_public_policy = false
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_s3_bucket_public_access_block" "data" {
    ///   bucket                  = aws_s3_bucket.data.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    pub struct S3PublicAccessBlock {
        code: "C301",
        name: "s3-public-access-block-off",
        title: "S3 bucket without Block Public Access",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![CisAws: ["2.1.4"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV2_AWS_6",
            "checkov:CKV_AWS_53",
            "checkov:CKV_AWS_54",
            "checkov:CKV_AWS_55",
            "checkov:CKV_AWS_56",
            "trivy:AWS-0086",
            "trivy:AWS-0087",
            "trivy:AWS-0091",
            "trivy:AWS-0093",
            "trivy:AWS-0094",
            "tfsec:aws-s3-block-public-acls",
            "tfsec:aws-s3-block-public-policy",
            "tfsec:aws-s3-ignore-public-acls",
            "tfsec:aws-s3-no-public-buckets",
            "tfsec:aws-s3-specify-public-access-block",
        ],
    }
}

impl Check<Resources> for S3PublicAccessBlock {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(bucket) = bucket(target) else {
            return;
        };
        let off: Vec<&str> = FLAGS
            .into_iter()
            .filter(|flag| blocks(target, bucket, flag) == Some(false))
            .collect();
        if off.is_empty() {
            return;
        }
        match &bucket.public_access_block {
            None => hits.push(
                Hit::new(
                    "",
                    "no Block Public Access is declared for this bucket or its account: declare an `aws_s3_bucket_public_access_block` with all four settings on",
                )
                .with_severity(Severity::Low),
            ),
            Some(block) => {
                for flag in off {
                    let pointer = format!("{}/{flag}", block.pointer);
                    hits.push(hit_on(
                        target,
                        block.resource,
                        &pointer,
                        format!("Block Public Access leaves `{flag}` off: set it to true"),
                    ));
                }
            }
        }
    }
}
