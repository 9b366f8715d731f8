use rampart_core::{Concern, Layer, Severity, refs};

use super::bucket;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// S3 buckets without server access logging (inline `logging {}`,
    /// `aws_s3_bucket_logging`, `LoggingConfiguration`). A bucket that receives other
    /// buckets' logs is not asked to log itself: its own log would loop.
    ///
    /// ## Why it matters
    /// Access logs are how an investigation learns who read or deleted which object and
    /// from where; CloudTrail records object reads only when data events are paid for.
    /// Without them, a leak is discovered without any way to tell its extent.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "data" {
    ///   bucket = "acme-data"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_s3_bucket_logging" "data" {
    ///   bucket        = aws_s3_bucket.data.id
    ///   target_bucket = aws_s3_bucket.logs.id
    ///   target_prefix = "data/"
    /// }
    /// ```
    pub struct S3AccessLoggingDisabled {
        code: "C304",
        name: "s3-access-logging-disabled",
        title: "S3 bucket without access logging",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Logging,
        references: refs![CisAws: ["3.4"], Cwe: ["CWE-778"]],
        equivalents: &[
            "checkov:CKV_AWS_18",
            "trivy:AWS-0089",
            "tfsec:aws-s3-enable-bucket-logging",
        ],
    }
}

impl Check<Resources> for S3AccessLoggingDisabled {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(bucket) = bucket(target) else {
            return;
        };
        if bucket.logging.is_some() {
            return;
        }
        let name = target.resource.str("bucket");
        let is_log_target = target.model.buckets.iter().any(|other| {
            other.logging.as_ref().is_some_and(|logging| {
                let part = &target.model.resources[logging.resource];
                let named = ["target_bucket", "destination_bucket_name"]
                    .iter()
                    .any(|key| {
                        logging
                            .value
                            .at(key)
                            .and_then(|v| v.as_str())
                            .is_some_and(|t| Some(t) == name)
                    });
                named
                    || ["target_bucket", "logging_configuration", "logging"]
                        .iter()
                        .any(|attribute| part.refers_to(attribute, &target.resource.address))
            })
        });
        if !is_log_target {
            hits.push(Hit::new(
                "",
                "server access logging is off: log to a separate bucket with `aws_s3_bucket_logging`",
            ));
        }
    }
}
