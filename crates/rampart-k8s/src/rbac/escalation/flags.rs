//! Which rules of a model grant a technique's permissions, for the `K2xx` rules: each
//! permission is one who-can lookup, so a scan marks every rule once, whatever its size.

use crate::rbac::model::{BindingKind, RbacModel, RuleId};
use crate::rbac::{BindingId, PolicyRule, RoleId};

use super::catalogue::{Needs, Permission, Scope, TECHNIQUES, Technique, TechniqueId};

/// For every rule of a model, the techniques it grants a permission of.
#[derive(Debug, Clone)]
pub struct RuleFlags {
    by_rule: Vec<u32>,
}

fn bit(id: TechniqueId) -> u32 {
    1 << id as u32
}

impl RuleFlags {
    pub fn new(model: &RbacModel) -> RuleFlags {
        let mut by_rule = vec![0u32; model.rule_count()];
        for technique in TECHNIQUES {
            for permission in technique.flags {
                for rule in model.rules_allowing(&permission.request("")) {
                    by_rule[rule] |= bit(technique.id);
                }
            }
        }
        for (rule, flags) in by_rule.iter_mut().enumerate() {
            if wildcard(&model.rule(rule).rule).is_some() {
                *flags |= bit(TechniqueId::Wildcard);
            }
        }
        RuleFlags { by_rule }
    }

    pub fn flags(&self, rule: RuleId, technique: TechniqueId) -> bool {
        self.by_rule[rule] & bit(technique) != 0
    }
}

/// Which field of a rule holds a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wildcard {
    /// `*` verbs on `*` resources in `*` groups.
    Everything,
    Verbs,
    Resources,
}

/// Whether `rule` grants every verb or every resource, asked the way the authorizer matches a
/// request for the literal `*` (which only a `*` in the rule allows).
pub fn wildcard(rule: &PolicyRule) -> Option<Wildcard> {
    if rule.is_non_resource() {
        return None;
    }
    let verbs = rule.verb_matches("*");
    let resources = rule.resource_matches("*", "");
    match (verbs, resources) {
        (true, true) if rule.api_group_matches("*") => Some(Wildcard::Everything),
        (true, _) => Some(Wildcard::Verbs),
        (false, true) => Some(Wildcard::Resources),
        (false, false) => None,
    }
}

/// The first of `technique`'s flagged permissions that `rule` allows and that a binding in
/// `namespace` (empty: a ClusterRoleBinding) makes effective.
pub fn flagged_permission(
    technique: &Technique,
    rule: &PolicyRule,
    namespace: &str,
) -> Option<Permission> {
    technique
        .flags
        .iter()
        .copied()
        .filter(|permission| namespace.is_empty() || usable_in(technique, permission, namespace))
        .find(|permission| rule.allows(&permission.request(namespace)))
}

/// Whether a RoleBinding in `namespace` can make `permission` effective: a route of the
/// technique uses it in a namespace (cluster-scoped resources such as nodes only count
/// cluster-wide; binding ClusterRoles is checked in the RoleBinding's namespace).
fn usable_in(technique: &Technique, permission: &Permission, namespace: &str) -> bool {
    technique.routes.iter().any(|route| {
        let uses = match route.needs {
            Needs::Any(permissions) | Needs::All(permissions) => permissions.contains(permission),
        };
        uses && match route.scope {
            Scope::Namespace => true,
            Scope::In(only) => only == namespace,
            Scope::Cluster => false,
        }
    })
}

/// A binding through which a rule's grant is effective.
#[derive(Debug, Clone, Copy)]
pub struct Holder {
    pub binding: BindingId,
    /// The permission it makes effective (`None` for wildcards, which are no one permission).
    pub permission: Option<Permission>,
}

/// The bindings of `role` that make `technique` effective through `rule`, each with the
/// permission it grants; for a Role, the Role's own namespace decides.
pub fn holders(
    model: &RbacModel,
    technique: &Technique,
    role: RoleId,
    rule: &PolicyRule,
) -> Vec<Holder> {
    model
        .bindings_of_role(role)
        .iter()
        .filter_map(|&binding| {
            let scope = match model.binding(binding).kind {
                BindingKind::ClusterRoleBinding => "",
                BindingKind::RoleBinding => &model.binding(binding).namespace,
            };
            let permission = match technique.id {
                TechniqueId::Wildcard => None,
                _ => Some(flagged_permission(technique, rule, scope)?),
            };
            Some(Holder {
                binding,
                permission,
            })
        })
        .collect()
}
