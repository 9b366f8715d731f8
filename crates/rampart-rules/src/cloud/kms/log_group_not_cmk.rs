use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// CloudWatch Logs log groups without a KMS key (`kms_key_id`, `KmsKeyId`).
    ///
    /// ## Why it matters
    /// Logs collect what applications should never print: tokens, personal data, queries. With
    /// CloudWatch's own key anyone allowed to read logs reads them all; a KMS key adds its own
    /// policy and an audit trail of every decryption.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name = "/app"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name       = "/app"
    ///   kms_key_id = aws_kms_key.logs.arn
    /// }
    /// ```
    pub struct LogGroupNotCmk {
        code: "C206",
        name: "log-group-not-encrypted-with-cmk",
        title: "CloudWatch log group not encrypted with a KMS key",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_158",
            "trivy:AWS-0017",
            "tfsec:aws-cloudwatch-log-group-customer-key",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_cloudwatch_log_group"],
    paths: &["kms_key_id"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "the log group is encrypted with CloudWatch's own key: set `kms_key_id`",
};

impl Check<Resources> for LogGroupNotCmk {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
