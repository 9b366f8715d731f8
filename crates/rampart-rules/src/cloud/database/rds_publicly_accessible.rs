use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// RDS database instances (`aws_db_instance`, `aws_rds_cluster_instance`,
    /// `AWS::RDS::DBInstance`) with `publicly_accessible` set to true.
    ///
    /// ## Why it matters
    /// A publicly accessible instance gets a public DNS name resolving to a public address:
    /// the database's own authentication is then all that stands between the internet and
    /// the data, one security group mistake away from brute force and pre-authentication
    /// exploits.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   publicly_accessible = true
    /// }
    /// ```
    /// Use instead: keep it in private subnets, reached from the application's network.
    /// ```hcl
    ///   publicly_accessible = false
    /// ```
    pub struct RdsPubliclyAccessible {
        code: "C501",
        name: "rds-publicly-accessible",
        title: "RDS instance is publicly accessible",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Databases,
        references: refs![CisAws: ["2.3.3"], Mitre: ["T1190"], Cwe: ["CWE-668"]],
        equivalents: &[
            "checkov:CKV_AWS_17",
            "trivy:AWS-0180",
            "tfsec:aws-rds-enable-public-access",
        ],
    }
}

impl Check<Resources> for RdsPubliclyAccessible {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if target.is(&["aws_db_instance", "aws_rds_cluster_instance"])
            && target.resource.bool("publicly_accessible") == Some(true)
        {
            hits.push(Hit::new(
                "/publicly_accessible",
                "the database has a public address: set `publicly_accessible` to false",
            ));
        }
    }
}
