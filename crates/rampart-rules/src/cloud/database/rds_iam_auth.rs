use rampart_cloud::Resource;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// MySQL, MariaDB and PostgreSQL RDS instances without IAM database authentication
    /// (`iam_database_authentication_enabled`).
    ///
    /// ## Why it matters
    /// Without it, applications log in with long-lived passwords kept in configuration or secrets;
    /// with it, pods log in with short-lived tokens from their IAM role (IRSA, Pod Identity), and
    /// no password can leak.
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
    ///   engine                              = "postgres"
    ///   iam_database_authentication_enabled = true
    /// }
    /// ```
    pub struct RdsIamAuth {
        code: "C504",
        name: "rds-iam-authentication-off",
        title: "Database does not accept IAM authentication",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Databases,
        references: refs![Cwe: ["CWE-798"]],
        equivalents: &[
            "checkov:CKV_AWS_161",
            "trivy:AWS-0176",
            "tfsec:aws-rds-enable-iam-auth",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_db_instance"],
    paths: &[
        "iam_database_authentication_enabled",
        "enable_iam_database_authentication",
    ],
    safe: is_true,
    default_safe: false,
    unless: no_iam_auth_engine,
    message: "only passwords log in: set `iam_database_authentication_enabled` to true",
};

impl Check<Resources> for RdsIamAuth {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

/// SQL Server, Oracle and Db2 do not support IAM database authentication.
fn no_iam_auth_engine(resource: &Resource) -> bool {
    resource.str("engine").is_some_and(|e| {
        e.starts_with("sqlserver") || e.starts_with("oracle") || e.starts_with("db2")
    })
}
