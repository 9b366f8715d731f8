use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// EFS file systems (`aws_efs_file_system`, `AWS::EFS::FileSystem`) without encryption at rest:
    /// `encrypted` is false unless set.
    ///
    /// ## Why it matters
    /// Everything a pod mounts from the file system, and its backups, sits in clear on AWS's
    /// storage. Encryption can only be chosen when the file system is made: fixing it later means
    /// copying the data to a new one.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_efs_file_system" "shared" {
    ///   creation_token = "shared"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_efs_file_system" "shared" {
    ///   creation_token = "shared"
    ///   encrypted      = true
    ///   kms_key_id     = aws_kms_key.data.arn
    /// }
    /// ```
    pub struct EfsUnencrypted {
        code: "C203",
        name: "efs-unencrypted",
        title: "EFS file system is not encrypted",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![CisAws: ["2.4.1"], Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_42",
            "trivy:AWS-0037",
            "tfsec:aws-efs-enable-at-rest-encryption",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_efs_file_system"],
    paths: &["encrypted"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "the file system is not encrypted at rest: set `encrypted` to true (it cannot be changed later)",
};

impl Check<Resources> for EfsUnencrypted {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
