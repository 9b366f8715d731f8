use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Azure storage accounts that let their containers be made public:
    /// `allow_nested_items_to_be_public` true or left out (true by default in provider versions 3
    /// and 4), or `allow_blob_public_access` true (provider 2).
    ///
    /// ## Why it matters
    /// When the account allows it, one container created with `container_access_type = "blob"` (or
    /// changed in the portal) publishes its files to anyone with the URL; turning it off at the
    /// account forbids that for every container.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_account" "data" {
    ///   name = "acmedata"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "azurerm_storage_account" "data" {
    ///   name                            = "acmedata"
    ///   allow_nested_items_to_be_public = false
    /// }
    /// ```
    pub struct AzureStoragePublicBlobs {
        code: "C309",
        name: "azure-storage-public-blobs-allowed",
        title: "Storage account allows public blob containers",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![CisAzure: ["3.7"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_AZURE_190",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_storage_account"],
    paths: &[
        "allow_nested_items_to_be_public",
        "allow_blob_public_access",
    ],
    safe: is_not_true,
    default_safe: false,
    unless: never,
    message: "containers of this account may be made public: set `allow_nested_items_to_be_public` to false",
};

impl Check<Resources> for AzureStoragePublicBlobs {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
