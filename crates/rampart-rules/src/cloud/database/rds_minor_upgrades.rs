use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_false, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// RDS instances that do not apply minor engine upgrades automatically
    /// (`auto_minor_version_upgrade` false; true by default).
    ///
    /// ## Why it matters
    /// Minor versions carry the engine's security fixes: an instance that never takes them keeps
    /// every published vulnerability of its version.
    ///
    /// ## Example
    /// ```hcl
    ///   auto_minor_version_upgrade = false
    /// ```
    /// Use instead:
    /// ```hcl
    ///   auto_minor_version_upgrade = true
    /// ```
    pub struct RdsMinorUpgrades {
        code: "C505",
        name: "rds-minor-upgrades-off",
        title: "Database does not take minor version upgrades",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Databases,
        references: refs![CisAws: ["2.3.2"], Cwe: ["CWE-1104"]],
        equivalents: &[
            "checkov:CKV_AWS_226",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_db_instance", "aws_rds_cluster_instance"],
    paths: &["auto_minor_version_upgrade"],
    safe: is_not_false,
    default_safe: true,
    unless: never,
    message: "security fixes in minor versions are not applied: set `auto_minor_version_upgrade` to true",
};

impl Check<Resources> for RdsMinorUpgrades {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
