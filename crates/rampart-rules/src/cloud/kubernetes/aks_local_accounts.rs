use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// AKS clusters that keep local accounts (`local_account_disabled` not true): `az aks
    /// get-credentials --admin` then hands out a static cluster-admin certificate.
    ///
    /// ## Why it matters
    /// The local admin credential bypasses Entra ID, MFA and Azure RBAC, cannot be revoked without
    /// rotating the cluster's certificates, and is handed to anyone with
    /// `Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action`.
    ///
    /// ## Example
    /// ```hcl
    ///   local_account_disabled = false
    /// ```
    /// Use instead:
    /// ```hcl
    ///   local_account_disabled = true
    /// ```
    pub struct AksLocalAccounts {
        code: "C651",
        name: "aks-local-accounts-enabled",
        title: "AKS local accounts enabled",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisAks: ["5.5.1"], Cwe: ["CWE-798"]],
        equivalents: &[
            "checkov:CKV_AZURE_141",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_kubernetes_cluster"],
    paths: &["local_account_disabled"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "the static cluster-admin credential still works: set `local_account_disabled` to true",
};

impl Check<Resources> for AksLocalAccounts {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
