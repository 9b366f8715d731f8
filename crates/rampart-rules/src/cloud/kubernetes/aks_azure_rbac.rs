use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// AKS clusters that do not use Azure RBAC for Kubernetes authorization
    /// (`azure_active_directory_role_based_access_control.azure_rbac_enabled`).
    ///
    /// ## Why it matters
    /// With Azure RBAC, cluster permissions are granted, reviewed and revoked with the rest of the
    /// subscription's access, and Privileged Identity Management applies to them.
    ///
    /// ## Example
    /// ```hcl
    ///   azure_active_directory_role_based_access_control {
    ///     azure_rbac_enabled = false
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   azure_active_directory_role_based_access_control {
    ///     azure_rbac_enabled = true
    ///   }
    /// ```
    pub struct AksAzureRbac {
        code: "C652",
        name: "aks-azure-rbac-off",
        title: "AKS authorization not through Azure RBAC",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisAks: ["5.5.2"], Cwe: ["CWE-285"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_kubernetes_cluster"],
    paths: &["azure_active_directory_role_based_access_control/azure_rbac_enabled"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "Kubernetes permissions are managed apart from Azure's: set `azure_rbac_enabled` to true",
};

impl Check<Resources> for AksAzureRbac {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
