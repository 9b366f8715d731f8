use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_false, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Azure storage accounts that accept plain HTTP (`https_traffic_only_enabled`,
    /// `enable_https_traffic_only` before provider 4, set to false).
    ///
    /// ## Why it matters
    /// Over HTTP, shared keys' signatures, SAS tokens and the data itself cross the network in
    /// clear.
    ///
    /// ## Example
    /// ```hcl
    ///   https_traffic_only_enabled = false
    /// ```
    /// Use instead:
    /// ```hcl
    ///   https_traffic_only_enabled = true
    /// ```
    pub struct AzureStorageHttp {
        code: "C307",
        name: "azure-storage-allows-http",
        title: "Storage account accepts plain HTTP",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![CisAzure: ["3.1"], Cwe: ["CWE-319"]],
        equivalents: &[
            "checkov:CKV_AZURE_3",
            "trivy:AZU-0008",
            "tfsec:azure-storage-enforce-https",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_storage_account"],
    paths: &["https_traffic_only_enabled", "enable_https_traffic_only"],
    safe: is_not_false,
    default_safe: true,
    unless: never,
    message: "the account accepts requests over plain HTTP: set `https_traffic_only_enabled` to true",
};

impl Check<Resources> for AzureStorageHttp {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
