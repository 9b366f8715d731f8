use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// ECR repositories whose images are encrypted with ECR's own keys (`encryption_type` `AES256`,
    /// the default) rather than KMS.
    ///
    /// ## Why it matters
    /// Images hold the code and often the configuration of every workload; with KMS, pulling them
    /// also needs `kms:Decrypt`, which a key policy can restrict to the cluster's nodes and which
    /// CloudTrail records.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "app" {
    ///   name = "app"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_ecr_repository" "app" {
    ///   name = "app"
    ///   encryption_configuration {
    ///     encryption_type = "KMS"
    ///     kms_key         = aws_kms_key.images.arn
    ///   }
    /// }
    /// ```
    pub struct EcrNotCmk {
        code: "C208",
        name: "ecr-not-encrypted-with-kms",
        title: "ECR repository not encrypted with a KMS key",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_136",
            "trivy:AWS-0033",
            "tfsec:aws-ecr-repository-customer-key",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_ecr_repository"],
    paths: &["encryption_configuration/encryption_type"],
    safe: is_kms,
    default_safe: false,
    unless: never,
    message: "images are encrypted with ECR's AES256 keys: set `encryption_type` to `KMS`",
};

impl Check<Resources> for EcrNotCmk {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn is_kms(value: &Value) -> bool {
    value.as_str() == Some("KMS")
}
