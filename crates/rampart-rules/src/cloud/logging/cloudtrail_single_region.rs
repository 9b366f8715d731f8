use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// CloudTrail trails that record one region (`is_multi_region_trail`, `IsMultiRegionTrail`,
    /// false by default).
    ///
    /// ## Why it matters
    /// Attackers favour regions nobody watches: instances mining in `ap-southeast-3`, IAM calls
    /// made through a forgotten regional endpoint. A single-region trail never sees them.
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
    ///   name                  = "main"
    ///   s3_bucket_name        = aws_s3_bucket.trail.id
    ///   is_multi_region_trail = true
    /// }
    /// ```
    pub struct CloudtrailSingleRegion {
        code: "C701",
        name: "cloudtrail-single-region",
        title: "CloudTrail trail records one region only",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Logging,
        references: refs![CisAws: ["3.1"], Mitre: ["T1562.001"], Cwe: ["CWE-778"]],
        equivalents: &[
            "checkov:CKV_AWS_67",
            "trivy:AWS-0014",
            "tfsec:aws-cloudtrail-enable-all-regions",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_cloudtrail"],
    paths: &["is_multi_region_trail"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "the trail records its own region only: set `is_multi_region_trail` to true",
};

impl Check<Resources> for CloudtrailSingleRegion {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
