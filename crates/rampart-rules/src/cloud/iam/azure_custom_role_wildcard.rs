use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Azure custom role definitions (`azurerm_role_definition`) whose `permissions` allow
    /// every action (`actions` holding `*`): a custom Owner, under a name that does not say
    /// so.
    ///
    /// ## Why it matters
    /// A role with `*` may do anything on its assignable scopes, including assigning roles
    /// (`Microsoft.Authorization/*`). Reviews look for Owner assignments; a custom role with
    /// the same power escapes them. CIS asks that no custom subscription administrator
    /// roles exist.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_role_definition" "ops" {
    ///   name  = "ops"
    ///   scope = data.azurerm_subscription.current.id
    ///   permissions {
    ///     actions = ["*"]
    ///   }
    /// }
    /// ```
    /// Use instead: the resource provider operations the role performs.
    /// ```hcl
    ///   permissions {
    ///     actions = ["Microsoft.Compute/virtualMachines/restart/action"]
    ///   }
    /// ```
    pub struct AzureCustomRoleWildcard {
        code: "C116",
        name: "azure-custom-role-wildcard",
        title: "Azure custom role allows every action",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1098"], Cwe: ["CWE-269"]],
        equivalents: &["checkov:CKV_AZURE_39"],
    }
}

impl Check<Resources> for AzureCustomRoleWildcard {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let role = target.resource;
        if role.kind != "azurerm_role_definition" {
            return;
        }
        let blocks = role.get("permissions").map(|p| p.items()).unwrap_or(&[]);
        for (block, permissions) in blocks.iter().enumerate() {
            let actions = permissions.get("actions").map(|a| a.items()).unwrap_or(&[]);
            if let Some(at) = actions.iter().position(|a| a.as_str() == Some("*")) {
                hits.push(Hit::new(
                    format!("/permissions/{block}/actions/{at}"),
                    "the custom role allows every action, role assignments included: list the operations it needs",
                ));
            }
        }
    }
}
