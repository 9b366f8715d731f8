use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// SNS topics without server-side encryption (`kms_master_key_id`, `KmsMasterKeyId`), which SNS
    /// leaves off by default.
    ///
    /// ## Why it matters
    /// Messages wait in SNS's storage until delivered; unencrypted, they are readable to anyone who
    /// reaches that storage, and notifications often carry order details, alerts with hostnames or
    /// tokens.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sns_topic" "alerts" {
    ///   name = "alerts"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_sns_topic" "alerts" {
    ///   name              = "alerts"
    ///   kms_master_key_id = aws_kms_key.data.id
    /// }
    /// ```
    pub struct SnsTopicUnencrypted {
        code: "C205",
        name: "sns-topic-unencrypted",
        title: "SNS topic is not encrypted",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_26",
            "trivy:AWS-0095",
            "tfsec:aws-sns-enable-topic-encryption",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_sns_topic"],
    paths: &["kms_master_key_id"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "messages are stored unencrypted: set `kms_master_key_id`",
};

impl Check<Resources> for SnsTopicUnencrypted {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
