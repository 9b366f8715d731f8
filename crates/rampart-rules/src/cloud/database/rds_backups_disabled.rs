use rampart_cloud::{Resource, Value};
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::Required;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// RDS instances and clusters whose automated backups are turned off (`backup_retention_period`
    /// 0).
    ///
    /// ## Why it matters
    /// Without automated backups there is no point-in-time restore: data deleted or encrypted by an
    /// attacker, or corrupted by a bad migration, is lost.
    ///
    /// ## Example
    /// ```hcl
    ///   backup_retention_period = 0
    /// ```
    /// Use instead:
    /// ```hcl
    ///   backup_retention_period = 14
    /// ```
    pub struct RdsBackupsDisabled {
        code: "C506",
        name: "rds-backups-disabled",
        title: "Database keeps no automated backups",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Databases,
        references: refs![Mitre: ["T1485"], Cwe: ["CWE-693"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_db_instance", "aws_rds_cluster"],
    paths: &["backup_retention_period"],
    safe: positive,
    default_safe: true,
    unless: aurora_member,
    message: "automated backups are turned off: set `backup_retention_period` to at least 7",
};

impl Check<Resources> for RdsBackupsDisabled {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn positive(value: &Value) -> bool {
    value.as_f64().is_none_or(|days| days > 0.0)
}

/// Instances of an Aurora cluster take the cluster's setting.
fn aurora_member(resource: &Resource) -> bool {
    resource.kind == "aws_db_instance"
        && (resource
            .str("engine")
            .is_some_and(|e| e.starts_with("aurora"))
            || resource.get("db_cluster_identifier").is_some())
}
