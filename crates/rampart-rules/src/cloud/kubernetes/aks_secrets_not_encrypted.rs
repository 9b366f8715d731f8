use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// AKS clusters without KMS encryption of Secrets (`key_management_service.key_vault_key_id`).
    ///
    /// ## Why it matters
    /// With a Key Vault key, reading Secrets from etcd's storage also needs the key, whose use is
    /// logged and which can be revoked.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name = "main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   key_management_service {
    ///     key_vault_key_id = azurerm_key_vault_key.etcd.id
    ///   }
    /// ```
    pub struct AksSecretsNotEncrypted {
        code: "C657",
        name: "aks-secrets-not-encrypted",
        title: "AKS Secrets not encrypted with a Key Vault key",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![Cis: ["1.2.27"], Cwe: ["CWE-311"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_kubernetes_cluster"],
    paths: &["key_management_service/key_vault_key_id"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "Secrets in etcd are not encrypted with your key: configure `key_management_service`",
};

impl Check<Resources> for AksSecretsNotEncrypted {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
