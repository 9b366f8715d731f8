use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Azure Key Vaults without purge protection (`purge_protection_enabled`, false by default).
    ///
    /// ## Why it matters
    /// Without it, anyone who may delete the vault can also purge it: every key encrypting storage
    /// accounts, disks or AKS secrets is gone for good, which is how ransomware on a cloud finishes
    /// its work.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name = "acme-main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                     = "acme-main"
    ///   purge_protection_enabled = true
    /// }
    /// ```
    pub struct KeyVaultPurgeProtection {
        code: "C312",
        name: "key-vault-purge-protection-off",
        title: "Key Vault can be purged",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![CisAzure: ["8.5"], Mitre: ["T1485"], Cwe: ["CWE-693"]],
        equivalents: &[
            "checkov:CKV_AZURE_42",
            "trivy:AZU-0016",
            "tfsec:azure-keyvault-no-purge",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_key_vault"],
    paths: &["purge_protection_enabled"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "deleted keys and secrets can be purged at once: set `purge_protection_enabled` to true",
};

impl Check<Resources> for KeyVaultPurgeProtection {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
