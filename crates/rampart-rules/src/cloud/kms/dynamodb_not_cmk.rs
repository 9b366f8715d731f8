use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// DynamoDB tables encrypted with a key AWS owns or manages rather than a customer managed KMS
    /// key: no `server_side_encryption.kms_key_arn` (`SSESpecification.KMSMasterKeyId`).
    ///
    /// ## Why it matters
    /// With an AWS owned key, whoever may read the table reads its data: the key adds no access
    /// control, no CloudTrail record of decryptions and no way to cut access by disabling it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name     = "orders"
    ///   hash_key = "id"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name     = "orders"
    ///   hash_key = "id"
    ///   server_side_encryption {
    ///     enabled     = true
    ///     kms_key_arn = aws_kms_key.data.arn
    ///   }
    /// }
    /// ```
    pub struct DynamodbNotCmk {
        code: "C204",
        name: "dynamodb-not-encrypted-with-cmk",
        title: "DynamoDB table not encrypted with a customer managed key",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_119",
            "trivy:AWS-0025",
            "tfsec:aws-dynamodb-table-customer-key",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_dynamodb_table"],
    paths: &[
        "server_side_encryption/kms_key_arn",
        "sse_specification/kms_master_key_id",
    ],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "the table is encrypted with a key AWS owns: set a customer managed KMS key in `server_side_encryption`",
};

impl Check<Resources> for DynamodbNotCmk {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
