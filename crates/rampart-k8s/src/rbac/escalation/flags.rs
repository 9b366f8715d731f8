//! Which rules of a model grant a technique's permissions, for the `K2xx` rules: each
//! permission is one who-can lookup, so a scan marks every rule once, whatever its size.

use crate::rbac::model::{Binding, BindingKind, RbacModel, RuleId};
use crate::rbac::{BindingId, Identity, PolicyRule, RoleId, Subject, identity_of};

use super::catalogue::{Needs, Permission, Route, Scope, TECHNIQUES, Technique, TechniqueId};

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

/// Whether a grant of `permission` is of use only together with others: every route of the
/// technique that needs it needs more (`bind` needs a binding to be created, `escalate` a role
/// to be written). Such grants are judged by [`uses`], not by the verb alone.
pub fn needs_company(technique: &Technique, permission: &Permission) -> bool {
    let mut routes = technique
        .routes
        .iter()
        .filter(|route| route.permissions().contains(permission))
        .peekable();
    routes.peek().is_some()
        && routes.all(|route| matches!(route.needs, Needs::All(all) if all.len() > 1))
}

/// One way a holder can use a technique through a grant: a route that needs the granted
/// permission, whose other permissions the holder's subject is allowed too where the route
/// is used, as the authorizer answers.
#[derive(Debug, Clone)]
pub struct Use {
    pub route: &'static Route,
    pub subject: Subject,
    /// Where: a namespace, or empty for cluster-wide.
    pub namespace: String,
    /// The route's other permissions, each allowed.
    pub with: Vec<Permission>,
}

/// What the subjects of `holder`'s binding can do with `technique` through the permission
/// the binding makes effective; empty when no route can be completed: a namespaced Role's
/// `create clusterrolebindings` grants nothing, so with it `bind clusterroles` leads nowhere.
pub fn uses(model: &RbacModel, technique: &'static Technique, holder: &Holder) -> Vec<Use> {
    let Some(permission) = holder.permission else {
        return Vec::new();
    };
    let binding = model.binding(holder.binding);
    let mut found = Vec::new();
    for route in technique.routes {
        if !route.permissions().contains(&permission) {
            continue;
        }
        let others: Vec<Permission> = match route.needs {
            Needs::Any(_) => Vec::new(),
            Needs::All(all) => all.iter().copied().filter(|p| *p != permission).collect(),
        };
        for subject in &binding.subjects {
            let identity = identity_of(subject, &[]);
            let place = route_namespaces(model, route, binding, &identity)
                .into_iter()
                .find(|namespace| {
                    others
                        .iter()
                        .all(|p| model.can_i(&identity, &p.request(namespace)).allowed)
                });
            if let Some(namespace) = place {
                found.push(Use {
                    route,
                    subject: subject.clone(),
                    namespace,
                    with: others.clone(),
                });
            }
        }
    }
    found
}

/// Where a route can use a permission the binding makes effective: a RoleBinding's own
/// namespace; for a ClusterRoleBinding, cluster-wide, or a namespace where the subject holds
/// other grants.
fn route_namespaces(
    model: &RbacModel,
    route: &Route,
    binding: &Binding,
    identity: &Identity,
) -> Vec<String> {
    match (route.scope, binding.scope()) {
        (Scope::Cluster, None) => vec![String::new()],
        (Scope::Cluster, Some(_)) => Vec::new(),
        (Scope::In(only), scope) if scope.is_none_or(|ns| ns == only) => vec![only.to_owned()],
        (Scope::In(_), _) => Vec::new(),
        (Scope::Namespace, Some(namespace)) => vec![namespace.to_owned()],
        (Scope::Namespace, None) => {
            let mut namespaces: Vec<String> = model
                .bindings_for(identity)
                .into_iter()
                .filter_map(|id| model.binding(id).scope().map(str::to_owned))
                .collect();
            namespaces.sort();
            namespaces.dedup();
            namespaces.insert(0, String::new());
            namespaces
        }
    }
}
