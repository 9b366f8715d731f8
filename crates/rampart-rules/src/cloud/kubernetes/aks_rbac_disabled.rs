use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_false, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// AKS clusters with Kubernetes RBAC turned off (`role_based_access_control_enabled` false, or
    /// `role_based_access_control { enabled = false }` before provider 3).
    ///
    /// ## Why it matters
    /// Without RBAC every authenticated identity, every pod's service account included, has full
    /// control of the cluster.
    ///
    /// ## Example
    /// ```hcl
    ///   role_based_access_control_enabled = false
    /// ```
    /// Use instead:
    /// ```hcl
    ///   role_based_access_control_enabled = true
    /// ```
    pub struct AksRbacDisabled {
        code: "C655",
        name: "aks-rbac-disabled",
        title: "AKS cluster without Kubernetes RBAC",
        severity: Severity::Critical,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisAks: ["5.5.2"], Cwe: ["CWE-285"]],
        equivalents: &[
            "checkov:CKV_AZURE_5",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["azurerm_kubernetes_cluster"],
    paths: &[
        "role_based_access_control_enabled",
        "role_based_access_control/enabled",
    ],
    safe: is_not_false,
    default_safe: true,
    unless: never,
    message: "every authenticated user may do anything: set `role_based_access_control_enabled` to true",
};

impl Check<Resources> for AksRbacDisabled {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
