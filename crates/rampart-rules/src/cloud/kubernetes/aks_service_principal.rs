use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_empty, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// AKS clusters that authenticate to Azure with a service principal (`service_principal`)
    /// instead of a managed identity.
    ///
    /// ## Why it matters
    /// A service principal's client secret is a long-lived password stored in the configuration and
    /// state, which expires and must be rotated by hand; a managed identity has no secret to leak.
    ///
    /// ## Example
    /// ```hcl
    ///   service_principal {
    ///     client_id     = var.client_id
    ///     client_secret = var.client_secret
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    /// ```
    pub struct AksServicePrincipal {
        code: "C656",
        name: "aks-service-principal",
        title: "AKS cluster uses a service principal",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![Cwe: ["CWE-798"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_kubernetes_cluster"],
    paths: &["service_principal"],
    safe: is_empty,
    default_safe: true,
    unless: never,
    message: "the cluster authenticates with a service principal's secret: use a managed identity (`identity` block)",
};

impl Check<Resources> for AksServicePrincipal {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
