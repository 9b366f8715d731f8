use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Secrets Manager secrets encrypted with the AWS managed key `aws/secretsmanager` (no
    /// `kms_key_id`, `KmsKeyId`).
    ///
    /// ## Why it matters
    /// Every principal of the account allowed `secretsmanager:GetSecretValue` can decrypt a secret
    /// under the AWS managed key, whose policy cannot be changed. A customer managed key lets its
    /// policy decide who decrypts, and is required to share the secret with another account.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_secretsmanager_secret" "db" {
    ///   name = "db-password"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_secretsmanager_secret" "db" {
    ///   name       = "db-password"
    ///   kms_key_id = aws_kms_key.secrets.arn
    /// }
    /// ```
    pub struct SecretNotCmk {
        code: "C207",
        name: "secret-not-encrypted-with-cmk",
        title: "Secrets Manager secret not encrypted with a customer managed key",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_149",
            "trivy:AWS-0098",
            "tfsec:aws-ssm-secret-use-customer-key",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_secretsmanager_secret"],
    paths: &["kms_key_id"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "the secret uses the account's default `aws/secretsmanager` key: set `kms_key_id` to a customer managed key",
};

impl Check<Resources> for SecretNotCmk {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
