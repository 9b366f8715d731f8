use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// AKS clusters without a network policy engine (`network_profile.network_policy`).
    ///
    /// ## Why it matters
    /// Without an engine, NetworkPolicy objects are accepted and ignored: every pod reaches every
    /// other, so one compromised pod reaches the databases and the cluster's internal services.
    ///
    /// ## Example
    /// ```hcl
    ///   network_profile {
    ///     network_plugin = "azure"
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   network_profile {
    ///     network_plugin = "azure"
    ///     network_policy = "azure"
    ///   }
    /// ```
    pub struct AksNetworkPolicy {
        code: "C653",
        name: "aks-network-policy-off",
        title: "AKS cluster without a network policy engine",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisAks: ["5.4.4"], Cis: ["5.3.2"], Cwe: ["CWE-923"]],
        equivalents: &[
            "checkov:CKV_AZURE_7",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_kubernetes_cluster"],
    paths: &["network_profile/network_policy"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "NetworkPolicies are not enforced: set `network_profile.network_policy` to `azure`, `calico` or `cilium`",
};

impl Check<Resources> for AksNetworkPolicy {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
