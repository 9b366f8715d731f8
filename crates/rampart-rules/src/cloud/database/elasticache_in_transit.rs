use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// ElastiCache replication groups without in-transit encryption (`transit_encryption_enabled`,
    /// `TransitEncryptionEnabled`).
    ///
    /// ## Why it matters
    /// Without TLS, anyone on the network path (a compromised pod on the same node, a mirrored
    /// port) reads the sessions and tokens passing to and from the cache, and its AUTH token too.
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
    ///   transit_encryption_enabled = true
    /// }
    /// ```
    pub struct ElasticacheInTransit {
        code: "C508",
        name: "elasticache-not-encrypted-in-transit",
        title: "ElastiCache traffic not encrypted",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![Cwe: ["CWE-319"]],
        equivalents: &[
            "checkov:CKV_AWS_30",
            "trivy:AWS-0051",
            "tfsec:aws-elasticache-enable-in-transit-encryption",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_elasticache_replication_group"],
    paths: &["transit_encryption_enabled"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "clients talk to the cache in clear: set `transit_encryption_enabled` to true",
};

impl Check<Resources> for ElasticacheInTransit {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
