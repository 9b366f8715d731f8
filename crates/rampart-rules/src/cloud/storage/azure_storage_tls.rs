use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Azure storage accounts whose `min_tls_version` is `TLS1_0` or `TLS1_1` (the provider's
    /// default is `TLS1_2`).
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 have known weaknesses (BEAST, weak ciphers, no AEAD) and are deprecated;
    /// allowing them lets a downgraded client expose keys and data.
    ///
    /// ## Example
    /// ```hcl
    ///   min_tls_version = "TLS1_0"
    /// ```
    /// Use instead:
    /// ```hcl
    ///   min_tls_version = "TLS1_2"
    /// ```
    pub struct AzureStorageTls {
        code: "C308",
        name: "azure-storage-old-tls",
        title: "Storage account accepts TLS older than 1.2",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![CisAzure: ["3.15"], Cwe: ["CWE-327"]],
        equivalents: &[
            "checkov:CKV_AZURE_44",
            "trivy:AZU-0011",
            "tfsec:azure-storage-use-secure-tls-policy",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_storage_account"],
    paths: &["min_tls_version"],
    safe: tls12_or_newer,
    default_safe: true,
    unless: never,
    message: "clients may use TLS 1.0 or 1.1: set `min_tls_version` to `TLS1_2`",
};

impl Check<Resources> for AzureStorageTls {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn tls12_or_newer(value: &Value) -> bool {
    !matches!(value.as_str(), Some("TLS1_0" | "TLS1_1"))
}
