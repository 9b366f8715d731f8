use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// CloudTrail trails without log file integrity validation (`enable_log_file_validation`,
    /// `EnableLogFileValidation`, false by default).
    ///
    /// ## Why it matters
    /// Without the signed digest files, an intruder who reaches the trail's bucket can delete or
    /// edit the records of what they did and nobody can tell.
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
    ///   name                       = "main"
    ///   s3_bucket_name             = aws_s3_bucket.trail.id
    ///   enable_log_file_validation = true
    /// }
    /// ```
    pub struct CloudtrailLogValidation {
        code: "C702",
        name: "cloudtrail-log-validation-off",
        title: "CloudTrail log file validation is off",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Logging,
        references: refs![CisAws: ["3.2"], Mitre: ["T1562.001"], Cwe: ["CWE-354"]],
        equivalents: &[
            "checkov:CKV_AWS_36",
            "trivy:AWS-0016",
            "tfsec:aws-cloudtrail-enable-log-validation",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_cloudtrail"],
    paths: &["enable_log_file_validation"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "log files are not signed: set `enable_log_file_validation` to true",
};

impl Check<Resources> for CloudtrailLogValidation {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
