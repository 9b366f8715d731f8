use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// RDS instances and Aurora clusters (`aws_db_instance`, `aws_rds_cluster`,
    /// `AWS::RDS::DBInstance`, `AWS::RDS::DBCluster`) whose storage is not encrypted:
    /// `storage_encrypted` unset (false by default) or false. Instances of an Aurora cluster
    /// take the cluster's setting and are left to it.
    ///
    /// ## Why it matters
    /// Unencrypted storage puts the data, its automated backups, snapshots and read replicas
    /// in clear on AWS's disks: a snapshot shared by mistake or copied by an attacker with
    /// `rds:CopyDBSnapshot` is readable anywhere. Encryption cannot be turned on later
    /// without copying the database.
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
    ///   engine            = "postgres"
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.data.arn
    /// }
    /// ```
    pub struct RdsStorageUnencrypted {
        code: "C502",
        name: "rds-storage-unencrypted",
        title: "RDS storage is not encrypted",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Databases,
        references: refs![CisAws: ["2.3.1"], Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_16",
            "checkov:CKV_AWS_96",
            "trivy:AWS-0080",
            "trivy:AWS-0079",
            "tfsec:aws-rds-encrypt-instance-storage-data",
            "tfsec:aws-rds-encrypt-cluster-storage-data",
        ],
    }
}

impl Check<Resources> for RdsStorageUnencrypted {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let database = target.resource;
        if !target.is(&["aws_db_instance", "aws_rds_cluster"]) {
            return;
        }
        let aurora_member = database.kind == "aws_db_instance"
            && (database
                .str("engine")
                .is_some_and(|e| e.starts_with("aurora"))
                || database.get("db_cluster_identifier").is_some());
        // Aurora Serverless v1 clusters are always encrypted.
        let serverless = database.str("engine_mode") == Some("serverless");
        if aurora_member || serverless {
            return;
        }
        match database.get("storage_encrypted") {
            Some(value) if value.is_unknown() || value.as_bool() == Some(true) => {}
            _ => hits.push(Hit::new(
                "/storage_encrypted",
                "the database's storage, backups and snapshots are not encrypted: set `storage_encrypted` to true",
            )),
        }
    }
}
