use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

/// Built-in roles that control access itself, by name and by id.
const ROLES: [(&str, &str); 2] = [
    ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
    (
        "User Access Administrator",
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    ),
];

declare_rule! {
    /// ## What it checks
    /// Azure role assignments (`azurerm_role_assignment`) of Owner or User Access
    /// Administrator, by name or by role definition id, at the scope of a whole subscription
    /// (`/subscriptions/<id>`, or the id of an `azurerm_subscription`) or a management
    /// group.
    ///
    /// ## Why it matters
    /// Both roles may assign any role to anyone: whoever holds them at subscription scope
    /// controls every resource and every identity's access in it, and can hide that by
    /// granting access through others. Such assignments belong to a few break-glass
    /// identities, managed through Privileged Identity Management rather than standing
    /// configuration.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_role_assignment" "ci" {
    ///   scope                = data.azurerm_subscription.current.id
    ///   role_definition_name = "Owner"
    ///   principal_id         = azurerm_user_assigned_identity.ci.principal_id
    /// }
    /// ```
    /// Use instead: a narrower role on the resource group the pipeline deploys to.
    /// ```hcl
    ///   scope                = azurerm_resource_group.app.id
    ///   role_definition_name = "Contributor"
    /// ```
    pub struct AzurePrivilegedRoleAssignment {
        code: "C115",
        name: "azure-privileged-role-assignment",
        title: "Azure Owner or User Access Administrator assigned on a subscription",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1098"], Cwe: ["CWE-269"]],
        equivalents: &[],
    }
}

impl Check<Resources> for AzurePrivilegedRoleAssignment {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let assignment = target.resource;
        if assignment.kind != "azurerm_role_assignment" {
            return;
        }
        let by_name = assignment.str("role_definition_name");
        let by_id = assignment
            .str("role_definition_id")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Some((role, _)) = ROLES
            .iter()
            .find(|(name, id)| by_name == Some(*name) || by_id.ends_with(id))
        else {
            return;
        };
        let Some(scope) = broad_scope(target) else {
            return;
        };
        let pointer = match by_name {
            Some(_) => "/role_definition_name",
            None => "/role_definition_id",
        };
        hits.push(Hit::new(
            pointer,
            format!(
                "{role} is assigned on {scope}: assign a narrower role on the resources needed"
            ),
        ));
    }
}

/// What the assignment's scope covers, when it is a subscription or a management group.
fn broad_scope(target: &CloudTarget<'_>) -> Option<&'static str> {
    let assignment = target.resource;
    if let Some(scope) = assignment.str("scope") {
        let parts: Vec<&str> = scope.trim_matches('/').split('/').collect();
        return match parts.as_slice() {
            ["subscriptions", _] => Some("a whole subscription"),
            ["providers", "Microsoft.Management", "managementGroups", _] => {
                Some("a management group")
            }
            _ => None,
        };
    }
    // A scope not known statically: the id of a subscription it refers to.
    let refers = assignment.references.get("scope").into_iter().flatten();
    refers
        .into_iter()
        .any(|address| address.contains("azurerm_subscription."))
        .then_some("a whole subscription")
}
