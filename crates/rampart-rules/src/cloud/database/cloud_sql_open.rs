use rampart_cloud::Value;
use rampart_cloud::model::network::is_anywhere;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Cloud SQL instances with a public address that accept connections from the whole
    /// internet: an authorized network of `0.0.0.0/0`
    /// (`settings.ip_configuration.authorized_networks`).
    ///
    /// ## Why it matters
    /// The database is then one password away from everyone: scanners find it within hours
    /// and try default and leaked credentials against it.
    ///
    /// ## Example
    /// ```hcl
    ///     ip_configuration {
    ///       authorized_networks {
    ///         value = "0.0.0.0/0"
    ///       }
    ///     }
    /// ```
    /// Use instead: a private IP (`ipv4_enabled = false` with `private_network`), or the
    /// ranges of the clients only.
    pub struct CloudSqlOpenToInternet {
        code: "C510",
        name: "cloud-sql-open-to-internet",
        title: "Cloud SQL accepts connections from the whole internet",
        severity: Severity::Critical,
        layer: Layer::Cloud,
        concern: Concern::Databases,
        references: refs![CisGcp: ["6.5"], Mitre: ["T1190"], Cwe: ["CWE-284"]],
        equivalents: &["checkov:CKV_GCP_11", "trivy:GCP-0017", "tfsec:google-sql-no-public-access"],
    }
}

impl Check<Resources> for CloudSqlOpenToInternet {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if target.resource.kind != "google_sql_database_instance" {
            return;
        }
        let networks = target
            .resource
            .get("settings/ip_configuration/authorized_networks")
            .map(Value::items)
            .unwrap_or(&[]);
        for (index, network) in networks.iter().enumerate() {
            if network
                .get("value")
                .and_then(Value::as_str)
                .is_some_and(is_anywhere)
            {
                hits.push(Hit::new(
                    format!("/settings/0/ip_configuration/0/authorized_networks/{index}"),
                    "the instance accepts connections from every address: remove `0.0.0.0/0` or use a private IP",
                ));
            }
        }
    }
}
