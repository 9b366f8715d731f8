use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// AKS clusters without Microsoft Entra ID (Azure AD) integration
    /// (`azure_active_directory_role_based_access_control`).
    ///
    /// ## Why it matters
    /// Without it, access to the cluster is granted with certificates that cannot be revoked one by
    /// one, outside the organisation's identity lifecycle, MFA and conditional access.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name = "main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   azure_active_directory_role_based_access_control {
    ///     azure_rbac_enabled = true
    ///   }
    /// ```
    pub struct AksEntraId {
        code: "C650",
        name: "aks-entra-id-off",
        title: "AKS cluster without Microsoft Entra ID integration",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisAks: ["5.5.1"], Cwe: ["CWE-287"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_kubernetes_cluster"],
    paths: &["azure_active_directory_role_based_access_control"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "users authenticate with the cluster's own certificates: add `azure_active_directory_role_based_access_control`",
};

impl Check<Resources> for AksEntraId {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
