use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// ElastiCache replication groups without encryption at rest (`at_rest_encryption_enabled`,
    /// `AtRestEncryptionEnabled`).
    ///
    /// ## Why it matters
    /// Caches hold sessions, tokens and copies of database rows; unencrypted, their backups and
    /// swap are readable to whoever obtains them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id = "sessions"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id       = "sessions"
    ///   at_rest_encryption_enabled = true
    ///   transit_encryption_enabled = true
    /// }
    /// ```
    pub struct ElasticacheAtRest {
        code: "C507",
        name: "elasticache-not-encrypted-at-rest",
        title: "ElastiCache data not encrypted at rest",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_29",
            "trivy:AWS-0045",
            "tfsec:aws-elasticache-enable-at-rest-encryption",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_elasticache_replication_group"],
    paths: &["at_rest_encryption_enabled"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "snapshots and swapped data are stored in clear: set `at_rest_encryption_enabled` to true",
};

impl Check<Resources> for ElasticacheAtRest {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
