//! What the RBAC rules (`K2xx`) share: finding the grants of one escalation technique in the
//! Role or ClusterRole being checked (or, for a binding to a built-in role such as `edit`, in
//! that role), and saying who holds them; and finding the bindings that name a kind of subject.
//! The questions go to the scan's RBAC model, built once for all objects.

use std::fmt::Write;

use rampart_core::Severity;
use rampart_k8s::cluster::Rbac;
use rampart_k8s::rbac::escalation::{
    Gain, Holder, Jewel, Needs, Permission, Scope, Technique, TechniqueId, Use, Wildcard,
    flagged_permission, holders, needs_company, technique, uses, wildcard,
};
use rampart_k8s::rbac::{
    BindingId, PolicyRule, RBAC_GROUP, RbacModel, RoleId, RoleKind, Subject, SubjectKind,
};
use rampart_source::{Node, Object, push_pointer};

use crate::{Hit, Target};

/// Whether `object` is a Role, ClusterRole or one of their bindings: only those need the
/// model, so scans without RBAC never build it.
fn is_rbac_object(object: &Object) -> bool {
    object
        .api_version
        .split_once('/')
        .is_some_and(|(group, _)| group == RBAC_GROUP)
}

/// Hits for the grants of technique `id` in the checked role, or in the built-in role the
/// checked binding binds.
pub(crate) fn technique_hits(id: TechniqueId, target: &Target<'_>, hits: &mut Vec<Hit>) {
    if !is_rbac_object(target.object) {
        return;
    }
    let rbac = target.cluster.rbac();
    let technique = technique(id);
    if let Some(role) = rbac.role_of(target.object) {
        role_hits(rbac, technique, role, hits);
    } else if let Some(binding) = rbac.binding_of(target.object) {
        builtin_role_hit(rbac, technique, binding, hits);
    }
}

/// Whether a grant of the technique matters here: writing aws-auth only on EKS, known from
/// the input holding the ConfigMap or from the rule naming it.
fn relevant(rbac: &Rbac, technique: &Technique, rule: &PolicyRule) -> bool {
    technique.id != TechniqueId::WriteAwsAuth
        || rbac.eks
        || rule.resource_names.iter().any(|name| name == "aws-auth")
}

/// What a rule grants and what that gives, for messages: `get nodes/proxy: runs commands
/// ...` (what the route that uses the permission does), or which wildcard and what it spans.
fn granted(
    technique: &Technique,
    kind: Option<Wildcard>,
    permission: Option<Permission>,
    namespace: &str,
) -> String {
    match kind {
        Some(Wildcard::Everything) => {
            "every verb on every resource, which cluster-wide is cluster-admin".to_owned()
        }
        Some(Wildcard::Verbs) => {
            "every verb (`*`) on its resources, including verbs added later".to_owned()
        }
        Some(Wildcard::Resources) => "its verbs on every resource (`*`), Secrets, subresources \
                                      such as pods/exec and resources added later included"
            .to_owned(),
        None => {
            let route = permission.and_then(|permission| {
                technique.routes.iter().find(|route| {
                    route.permissions().contains(&permission)
                        && match route.scope {
                            Scope::Cluster => namespace.is_empty(),
                            Scope::In(only) => namespace.is_empty() || only == namespace,
                            Scope::Namespace => true,
                        }
                })
            });
            let gives = route.map_or(technique.yields.to_owned(), |r| r.how(None, None));
            let permission = permission.map_or("it".to_owned(), |p| permission_text(&p));
            format!("{permission}: {gives}")
        }
    }
}

/// `get nodes/proxy`, `patch configmaps named aws-auth`.
fn permission_text(permission: &Permission) -> String {
    let mut text = format!("{} {}", permission.verb, permission.resource);
    if !permission.subresource.is_empty() {
        let _ = write!(text, "/{}", permission.subresource);
    }
    if !permission.name.is_empty() {
        let _ = write!(text, " named {}", permission.name);
    }
    text
}

fn role_hits(rbac: &Rbac, technique: &'static Technique, role_id: RoleId, hits: &mut Vec<Hit>) {
    let model = &rbac.model;
    let role = model.role(role_id);
    for &rule_id in &role.declared_rules {
        let stored = model.rule(rule_id);
        if !rbac.flags.flags(rule_id, technique.id) || !relevant(rbac, technique, &stored.rule) {
            continue;
        }
        let wildcard_kind =
            wildcard(&stored.rule).filter(|_| technique.id == TechniqueId::Wildcard);
        let field = match wildcard_kind {
            Some(Wildcard::Resources) => "resources",
            _ => "verbs",
        };
        let pointer = push_pointer(&push_pointer("/rules", stored.index), field);
        let held_by = holders(model, technique, role_id, &stored.rule);
        // What the rule can grant where it is declared: a Role grants nothing cluster-scoped.
        let declared_scope = match role.kind {
            RoleKind::Role => role.namespace.as_str(),
            RoleKind::ClusterRole => "",
        };
        let possible = flagged_permission(technique, &stored.rule, declared_scope);
        if possible.is_none() && wildcard_kind.is_none() {
            continue;
        }
        if let Some(permission) = possible.filter(|p| needs_company(technique, p)) {
            hits.push(grounded_hit(
                model,
                technique,
                stored.index,
                permission,
                &held_by,
                pointer,
            ));
            continue;
        }
        let permission = held_by
            .iter()
            .find_map(|holder| holder.permission)
            .or(possible);
        let what = granted(technique, wildcard_kind, permission, declared_scope);
        let mut message = format!("rule {} allows {what}; ", stored.index);
        let severity = if held_by.is_empty() {
            message.push_str("bound to no one in the input who can use it");
            Some(Severity::Low)
        } else {
            message.push_str("granted to ");
            message.push_str(&holder_list(model, &held_by));
            severity_for(technique.id, wildcard_kind, model, &held_by)
        };
        let hit = Hit::new(pointer, message);
        hits.push(match severity {
            Some(severity) => hit.with_severity(severity),
            None => hit,
        });
    }
}

/// The hit for a grant that needs others to be of use (`bind` without `create` on bindings
/// leads nowhere): its verdict and message are what its holders can really do with it, as the
/// authorizer answers for each route of the technique.
fn grounded_hit(
    model: &RbacModel,
    technique: &'static Technique,
    index: usize,
    permission: Permission,
    held_by: &[Holder],
    pointer: String,
) -> Hit {
    let allows = format!("rule {index} allows {}", permission_text(&permission));
    // Bindings without a subject hold nothing for anyone.
    let no_one = held_by
        .iter()
        .all(|holder| model.binding(holder.binding).subjects.is_empty());
    if no_one {
        let message = format!("{allows}; bound to no one in the input who can use it");
        return Hit::new(pointer, message).with_severity(Severity::Low);
    }
    let holders = holder_list(model, held_by);
    let mut found: Vec<Use> = held_by
        .iter()
        .flat_map(|holder| uses(model, technique, holder))
        .collect();
    found.sort_by_key(|used| gain_rank(used.route.gain));
    let Some(best) = found.first() else {
        let message = format!(
            "{allows}, granted to {holders}; but they may not {}: no escalation through it",
            missing(model, technique, permission, held_by)
        );
        return Hit::new(pointer, message).with_severity(Severity::Low);
    };
    let with: Vec<String> = best.with.iter().map(permission_text).collect();
    let namespace = (!best.namespace.is_empty()).then_some(best.namespace.as_str());
    let message = format!(
        "{allows}; with {} also granted, {} {}; granted to {holders}",
        with.join(" and "),
        subject_text(&best.subject),
        best.route.how(namespace, None),
    );
    let hit = Hit::new(pointer, message);
    match best.route.gain {
        Gain::NamespaceRoles => hit.with_severity(Severity::Medium),
        _ => hit,
    }
}

/// Which gains matter most, for picking the use a message names.
fn gain_rank(gain: Gain) -> u8 {
    match gain {
        Gain::Reaches(Jewel::ClusterAdmin) | Gain::Holds(Jewel::ClusterAdmin) => 0,
        Gain::Reaches(_) | Gain::Holds(_) => 1,
        Gain::AnyUser | Gain::MountedAccountsEverywhere => 2,
        Gain::AnyAccount | Gain::MountedAccounts | Gain::StoredTokens => 3,
        Gain::NamespaceRoles => 4,
    }
}

/// What the holders would also need, where their bindings apply: `create rolebindings in
/// namespace shop or create clusterrolebindings cluster-wide`.
fn missing(
    model: &RbacModel,
    technique: &Technique,
    permission: Permission,
    held_by: &[Holder],
) -> String {
    let mut needed: Vec<String> = Vec::new();
    for holder in held_by {
        let scope = model.binding(holder.binding).scope();
        for route in technique.routes {
            let Needs::All(all) = route.needs else {
                continue;
            };
            if !all.contains(&permission) {
                continue;
            }
            let place = match (route.scope, scope) {
                (Scope::Cluster, None) => "cluster-wide".to_owned(),
                (Scope::Cluster, Some(_)) => continue,
                (Scope::In(only), _) => format!("in namespace {only}"),
                (Scope::Namespace, Some(ns)) => format!("in namespace {ns}"),
                (Scope::Namespace, None) => "in any namespace".to_owned(),
            };
            let others: Vec<String> = all
                .iter()
                .filter(|p| **p != permission)
                .map(permission_text)
                .collect();
            let text = format!("{} {place}", others.join(" and "));
            if !needed.contains(&text) {
                needed.push(text);
            }
        }
    }
    match needed.is_empty() {
        true => "use it where their bindings apply".to_owned(),
        false => needed.join(", nor "),
    }
}

/// The rule's own severity, except where the exposure is of another order: `*` on `*`
/// held cluster-wide is cluster-admin.
fn severity_for(
    id: TechniqueId,
    kind: Option<Wildcard>,
    model: &RbacModel,
    held_by: &[Holder],
) -> Option<Severity> {
    let cluster_wide = held_by
        .iter()
        .any(|h| model.binding(h.binding).scope().is_none());
    (id == TechniqueId::Wildcard && kind == Some(Wildcard::Everything) && cluster_wide)
        .then_some(Severity::High)
}

/// One hit on a binding to a built-in role (which the input does not declare, so the role
/// itself cannot be pointed at) when that role grants the technique where the binding applies.
fn builtin_role_hit(
    rbac: &Rbac,
    technique: &'static Technique,
    binding_id: BindingId,
    hits: &mut Vec<Hit>,
) {
    let model = &rbac.model;
    let binding = model.binding(binding_id);
    let Some(role_id) = binding.role.filter(|&role| model.role(role).builtin) else {
        return;
    };
    let role = model.role(role_id);
    let found = role.rules.iter().find_map(|&rule_id| {
        let rule = &model.rule(rule_id).rule;
        if !rbac.flags.flags(rule_id, technique.id) || !relevant(rbac, technique, rule) {
            return None;
        }
        holders(model, technique, role_id, rule)
            .into_iter()
            .find(|holder| holder.binding == binding_id)
            .map(|holder| (rule, holder))
    });
    let Some((rule, holder)) = found else { return };
    let wildcard_kind = wildcard(rule).filter(|_| technique.id == TechniqueId::Wildcard);
    let what = granted(
        technique,
        wildcard_kind,
        holder.permission,
        binding.scope().unwrap_or(""),
    );
    let message = format!(
        "binds the built-in {} {}, which allows {what}; granted to {}",
        role.kind.as_str(),
        role.name,
        holder_list(model, std::slice::from_ref(&holder))
    );
    let hit = Hit::new("/roleRef/name", message);
    hits.push(
        match severity_for(technique.id, wildcard_kind, model, &[holder]) {
            Some(severity) => hit.with_severity(severity),
            None => hit,
        },
    );
}

/// `ServiceAccount shop/reporting (ClusterRoleBinding reporting-edit, cluster-wide)`, for up to
/// three bindings, then how many more.
fn holder_list(model: &RbacModel, held_by: &[Holder]) -> String {
    const SHOWN: usize = 3;
    let mut parts: Vec<String> = held_by
        .iter()
        .take(SHOWN)
        .map(|holder| {
            let binding = model.binding(holder.binding);
            let subjects: Vec<String> = binding.subjects.iter().map(subject_text).collect();
            let scope = match binding.scope() {
                None => "cluster-wide".to_owned(),
                Some(ns) => format!("in namespace {ns}"),
            };
            let subjects = if subjects.is_empty() {
                "no subject".to_owned()
            } else {
                subjects.join(", ")
            };
            format!(
                "{subjects} ({} {}, {scope})",
                binding.kind.as_str(),
                binding.name
            )
        })
        .collect();
    if held_by.len() > SHOWN {
        parts.push(format!("{} more bindings", held_by.len() - SHOWN));
    }
    parts.join("; ")
}

pub(crate) fn subject_text(subject: &Subject) -> String {
    match subject.kind {
        SubjectKind::ServiceAccount => {
            format!("ServiceAccount {}/{}", subject.namespace, subject.name)
        }
        kind => format!("{} {}", kind.as_str(), subject.name),
    }
}

/// Hits on the subjects of the checked binding that `matches` selects, with the message
/// `describe` gives for each (and its severity, if it ranks them).
pub(crate) fn subject_hits(
    target: &Target<'_>,
    hits: &mut Vec<Hit>,
    matches: fn(&Subject) -> bool,
    describe: fn(&Subject, &str) -> (String, Option<Severity>),
) {
    let object = target.object;
    if !is_rbac_object(object) || !object.kind.ends_with("RoleBinding") {
        return;
    }
    let namespace = object.namespace.as_deref().unwrap_or("default");
    let role = object
        .root
        .path(&["roleRef", "name"])
        .and_then(Node::as_str)
        .unwrap_or("?");
    let role_kind = object
        .root
        .path(&["roleRef", "kind"])
        .and_then(Node::as_str)
        .unwrap_or("role");
    let granted = format!("{role_kind} {role}");
    let subjects = object.root.get("subjects").map(Node::items).unwrap_or(&[]);
    for (index, node) in subjects.iter().enumerate() {
        let field = |key: &str| node.get(key).and_then(Node::as_str).unwrap_or("");
        let Some(kind) = SubjectKind::parse(field("kind")) else {
            continue;
        };
        let subject = Subject {
            kind,
            namespace: match kind {
                SubjectKind::ServiceAccount if field("namespace").is_empty() => {
                    namespace.to_owned()
                }
                SubjectKind::ServiceAccount => field("namespace").to_owned(),
                _ => String::new(),
            },
            name: field("name").to_owned(),
        };
        if !matches(&subject) {
            continue;
        }
        let (message, severity) = describe(&subject, &granted);
        let hit = Hit::new(push_pointer("/subjects", index), message);
        hits.push(match severity {
            Some(severity) => hit.with_severity(severity),
            None => hit,
        });
    }
}
