use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Cloud SQL instances that accept unencrypted connections:
    /// `settings.ip_configuration.ssl_mode` `ALLOW_UNENCRYPTED_AND_ENCRYPTED` or left out, without
    /// `require_ssl = true`.
    ///
    /// ## Why it matters
    /// Database credentials and query results then cross the network in clear, to anyone who can
    /// watch the path.
    ///
    /// ## Example
    /// ```hcl
    ///     ip_configuration {
    ///       ipv4_enabled = false
    ///     }
    /// ```
    /// Use instead:
    /// ```hcl
    ///     ip_configuration {
    ///       ipv4_enabled = false
    ///       ssl_mode     = "ENCRYPTED_ONLY"
    ///     }
    /// ```
    pub struct CloudSqlTls {
        code: "C509",
        name: "cloud-sql-tls-not-required",
        title: "Cloud SQL accepts connections without TLS",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Databases,
        references: refs![CisGcp: ["6.4"], Cwe: ["CWE-319"]],
        equivalents: &[
            "checkov:CKV_GCP_6",
            "trivy:GCP-0015",
            "tfsec:google-sql-encrypt-in-transit-data",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_sql_database_instance"],
    paths: &[
        "settings/ip_configuration/ssl_mode",
        "settings/ip_configuration/require_ssl",
    ],
    safe: requires_tls,
    default_safe: false,
    unless: never,
    message: "clients may connect without TLS: set `ssl_mode` to `ENCRYPTED_ONLY` (or `require_ssl`)",
};

impl Check<Resources> for CloudSqlTls {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn requires_tls(value: &Value) -> bool {
    match value {
        Value::Bool(required) => *required,
        other => other
            .as_str()
            .is_some_and(|mode| mode != "ALLOW_UNENCRYPTED_AND_ENCRYPTED"),
    }
}
