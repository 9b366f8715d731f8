use rampart_cloud::Resource;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// RDS instances and Aurora clusters without deletion protection (`deletion_protection`, false
    /// by default). Instances of an Aurora cluster are protected through their cluster.
    ///
    /// ## Why it matters
    /// A compromised role, a wrong `terraform destroy` or a hostile insider deletes the database in
    /// one call; with protection, deleting it first needs a separate, visible change.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   engine = "postgres"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   engine              = "postgres"
    ///   deletion_protection = true
    /// }
    /// ```
    pub struct RdsDeletionProtection {
        code: "C503",
        name: "rds-deletion-protection-off",
        title: "Database can be deleted without protection",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Databases,
        references: refs![Mitre: ["T1485"], Cwe: ["CWE-693"]],
        equivalents: &[
            "checkov:CKV_AWS_293",
            "checkov:CKV_AWS_139",
            "trivy:AWS-0177",
            "trivy:AWS-0343",
            "tfsec:aws-rds-enable-deletion-protection",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_db_instance", "aws_rds_cluster"],
    paths: &["deletion_protection"],
    safe: is_true,
    default_safe: false,
    unless: aurora_member,
    message: "one API call deletes the database: set `deletion_protection` to true",
};

impl Check<Resources> for RdsDeletionProtection {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

/// Instances of an Aurora cluster take the cluster's setting.
fn aurora_member(resource: &Resource) -> bool {
    resource.kind == "aws_db_instance"
        && (resource
            .str("engine")
            .is_some_and(|e| e.starts_with("aurora"))
            || resource.get("db_cluster_identifier").is_some())
}
