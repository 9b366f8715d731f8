use rampart_core::{Concern, Layer, Severity, refs};

use super::{blocks, bucket};
use crate::cloud::hit_on;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

/// Canned ACLs that grant access beyond the owner's account.
const PUBLIC_ACLS: [&str; 4] = [
    "public-read",
    "public-read-write",
    "website",
    "authenticated-read",
];

declare_rule! {
    /// ## What it checks
    /// S3 buckets with a canned ACL that grants everyone (`public-read`, `public-read-write`,
    /// `website`) or every AWS account (`authenticated-read`) access, where Block Public
    /// Access does not neutralise it (`ignore_public_acls` or `block_public_acls` on, for the
    /// bucket or the account). CloudFormation's `AccessControl: PublicRead` is the same ACL.
    ///
    /// ## Why it matters
    /// A public-read ACL lets anyone on the internet list and download the bucket's objects;
    /// `public-read-write` also lets them upload, overwrite and plant content served from
    /// your domain. `authenticated-read` is no better: any AWS customer is "authenticated".
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_acl" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   acl    = "public-read"
    /// }
    /// ```
    /// Use instead: keep the bucket private and serve public content through CloudFront with
    /// origin access control.
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   rule { object_ownership = "BucketOwnerEnforced" }
    /// }
    /// ```
    pub struct S3PublicAcl {
        code: "C302",
        name: "s3-public-acl",
        title: "S3 bucket ACL grants public access",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![CisAws: ["2.1.4"], Cwe: ["CWE-732"]],
        equivalents: &[
            "checkov:CKV_AWS_20",
            "checkov:CKV_AWS_57",
            "trivy:AWS-0092",
            "tfsec:aws-s3-no-public-access-with-acl",
        ],
    }
}

impl Check<Resources> for S3PublicAcl {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(bucket) = bucket(target) else {
            return;
        };
        let Some(acl) = &bucket.acl else {
            return;
        };
        let Some(name) = acl.value.as_str().filter(|name| PUBLIC_ACLS.contains(name)) else {
            return;
        };
        let neutralised = ["ignore_public_acls", "block_public_acls"]
            .iter()
            .any(|flag| blocks(target, bucket, flag) != Some(false));
        if neutralised {
            return;
        }
        let mut hit = hit_on(
            target,
            acl.resource,
            &acl.pointer,
            format!("the bucket's ACL is `{name}`: make it `private`"),
        );
        if name == "public-read-write" {
            hit = hit.with_severity(Severity::Critical);
        }
        hits.push(hit);
    }
}
