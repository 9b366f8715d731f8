//! Reading Roles, ClusterRoles, their bindings and ServiceAccounts from parsed objects. Each
//! malformed field becomes a [`Diagnostic`] with its path and line; what is well-formed is kept.

use rampart_core::{Diagnostic, Location};
use rampart_source::{Node, Object, push_pointer};

use super::resources::{Scope, is_known_verb, scope};
use super::rule::PolicyRule;
use super::selector::LabelSelector;
use super::subject::{Subject, SubjectKind};
pub(crate) use crate::reporter::{Reporter, display_name};

pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// Whether `object` is of `kind` in the RBAC API group (any version).
pub(crate) fn is_rbac(object: &Object, kind: &str) -> bool {
    object.kind == kind
        && object
            .api_version
            .split_once('/')
            .is_some_and(|(group, _)| group == RBAC_GROUP)
}

/// A rule as read, with its position in the role.
pub(crate) struct ReadRule {
    pub rule: PolicyRule,
    pub index: usize,
    pub line: u32,
}

pub(crate) struct ReadRole {
    pub namespace: String,
    pub labels: Vec<(String, String)>,
    pub aggregation: Option<Vec<LabelSelector>>,
    pub rules: Vec<ReadRule>,
    pub location: Location,
}

pub(crate) struct ReadBinding {
    pub namespace: String,
    pub role_kind: RoleKindName,
    pub role_name: String,
    pub subjects: Vec<Subject>,
    pub location: Location,
}

/// The kind a roleRef names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleKindName {
    Role,
    ClusterRole,
}

/// The namespace of a namespaced RBAC object: its own, else `default` (where `kubectl apply`
/// puts it without `-n`), reported because the answers depend on it.
pub(crate) fn namespace_of(object: &Object, reporter: &mut Reporter<'_, '_>) -> String {
    match object.namespace.as_deref() {
        Some(ns) if !ns.is_empty() => ns.to_owned(),
        _ => {
            reporter.warning(
                "/metadata",
                "no metadata.namespace; rampart assumes `default`, where kubectl applies it \
                 without -n",
            );
            "default".to_owned()
        }
    }
}

pub(crate) fn read_role(object: &Object, namespaced: bool, out: &mut Vec<Diagnostic>) -> ReadRole {
    let mut reporter = Reporter::new(object, out);
    let namespace = if namespaced {
        namespace_of(object, &mut reporter)
    } else {
        String::new()
    };
    if object.name.is_empty() {
        reporter.error("/metadata", "no metadata.name");
    }
    let labels = object
        .metadata()
        .get("labels")
        .map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| e.value.as_str().map(|v| (e.key.to_string(), v.to_owned())))
        .collect();
    let aggregation = if namespaced {
        None
    } else {
        read_aggregation(object, &mut reporter)
    };
    let mut rules = Vec::new();
    match object.root.get("rules").filter(|n| !n.is_null()) {
        None => {}
        Some(node) => match node.as_seq() {
            None => reporter.error(
                "/rules",
                format!("rules must be an array, found {}", node.type_name()),
            ),
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    let pointer = push_pointer("/rules", index);
                    if let Some(rule) = read_rule(item, &pointer, namespaced, &mut reporter) {
                        rules.push(ReadRule {
                            rule,
                            index,
                            line: item.span.line,
                        });
                    }
                }
            }
        },
    }
    ReadRole {
        namespace,
        labels,
        aggregation,
        rules,
        location: object.location(object.root.span),
    }
}

/// The selectors of a ClusterRole's `aggregationRule`. An invalid selector stops the
/// aggregation controller for that role, which then keeps its declared rules: `None`.
fn read_aggregation(
    object: &Object,
    reporter: &mut Reporter<'_, '_>,
) -> Option<Vec<LabelSelector>> {
    let rule = object
        .root
        .get("aggregationRule")
        .filter(|n| !n.is_null())?;
    let pointer = "/aggregationRule/clusterRoleSelectors";
    let Some(items) = rule.get("clusterRoleSelectors").map(Node::items) else {
        reporter.warning(
            "/aggregationRule",
            "aggregationRule has no clusterRoleSelectors",
        );
        return Some(Vec::new());
    };
    let mut selectors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match LabelSelector::parse(item, &push_pointer(pointer, index)) {
            Ok(selector) => selectors.push(selector),
            Err(error) => {
                reporter.error(
                    &error.pointer,
                    format!(
                        "{}; the aggregation controller skips this role, so it keeps its \
                         declared rules",
                        error.message
                    ),
                );
                return None;
            }
        }
    }
    Some(selectors)
}

/// A list of strings at `key`; `None` (reported) when it has another type.
fn strings(
    rule: &Node,
    key: &str,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> Option<Vec<String>> {
    let Some(node) = rule.get(key).filter(|n| !n.is_null()) else {
        return Some(Vec::new());
    };
    let pointer = push_pointer(pointer, key);
    let Some(items) = node.as_seq() else {
        reporter.error(
            &pointer,
            format!(
                "must be an array of strings, found {}; rule ignored",
                node.type_name()
            ),
        );
        return None;
    };
    let mut values = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(value) => values.push(value.to_owned()),
            None => {
                reporter.error(
                    &push_pointer(&pointer, index),
                    format!("must be a string, found {}; rule ignored", item.type_name()),
                );
                return None;
            }
        }
    }
    Some(values)
}

/// Reads and validates one rule as the API server does. A rule the API server would refuse is
/// reported and left out; the role's other rules still count, so one broken rule does not hide
/// what the rest grant.
fn read_rule(
    node: &Node,
    pointer: &str,
    namespaced: bool,
    reporter: &mut Reporter<'_, '_>,
) -> Option<PolicyRule> {
    if node.as_map().is_none() {
        reporter.error(
            pointer,
            format!(
                "a rule must be an object, found {}; rule ignored",
                node.type_name()
            ),
        );
        return None;
    }
    let rule = PolicyRule {
        verbs: strings(node, "verbs", pointer, reporter)?,
        api_groups: strings(node, "apiGroups", pointer, reporter)?,
        resources: strings(node, "resources", pointer, reporter)?,
        resource_names: strings(node, "resourceNames", pointer, reporter)?,
        non_resource_urls: strings(node, "nonResourceURLs", pointer, reporter)?,
    };
    let mut invalid = Vec::new();
    if rule.verbs.is_empty() {
        invalid.push("verbs must contain at least one value");
    }
    if rule.is_non_resource() {
        if namespaced {
            invalid.push("a Role cannot grant non-resource URLs");
        }
        if !rule.api_groups.is_empty()
            || !rule.resources.is_empty()
            || !rule.resource_names.is_empty()
        {
            invalid.push("a rule cannot apply to both resources and non-resource URLs");
        }
    } else {
        if rule.api_groups.is_empty() {
            invalid.push("a resource rule needs at least one apiGroup");
        }
        if rule.resources.is_empty() {
            invalid.push("a resource rule needs at least one resource");
        }
    }
    if !invalid.is_empty() {
        reporter.error(pointer, format!("{}; rule ignored", invalid.join("; ")));
        return None;
    }
    for verb in rule.verbs.iter().filter(|v| !is_known_verb(v)) {
        reporter.warning(
            &push_pointer(pointer, "verbs"),
            format!("unknown verb `{verb}` (verbs are lower case: get, list, create, ...)"),
        );
    }
    for resource in &rule.resources {
        if let Some((base, "*")) = resource.split_once('/')
            && base != "*"
        {
            reporter.warning(
                &push_pointer(pointer, "resources"),
                format!(
                    "`{resource}` grants no subresource: the API server treats `*` after a \
                     resource as a literal name; list the subresources (`{base}/exec`, ...)"
                ),
            );
        }
    }
    if namespaced {
        // The API server checks `bind` and `escalate` on a ClusterRole in the namespace of the
        // RoleBinding or Role being written, so a Role may grant them on `clusterroles`.
        let delegable = |resource: &str| {
            resource == "clusterroles"
                && rule.api_groups.iter().any(|g| g == RBAC_GROUP || g == "*")
        };
        let other_verbs = rule
            .verbs
            .iter()
            .any(|verb| !matches!(verb.as_str(), "bind" | "escalate"));
        for resource in &rule.resources {
            let cluster_scoped = rule.api_groups.iter().any(|group| {
                resource != "namespaces" && scope(group, resource) == Some(Scope::Cluster)
            });
            if !cluster_scoped || (delegable(resource) && !other_verbs) {
                continue;
            }
            let message = if delegable(resource) {
                format!(
                    "`{resource}` is cluster-scoped: in a Role only `bind` and `escalate` on it \
                     take effect (checked in the namespace of the RoleBinding or Role being \
                     written); its other verbs need a ClusterRole and ClusterRoleBinding"
                )
            } else {
                format!(
                    "`{resource}` is cluster-scoped; a Role cannot grant it, use a ClusterRole \
                     and ClusterRoleBinding"
                )
            };
            reporter.warning(&push_pointer(pointer, "resources"), message);
        }
    }
    Some(rule)
}

pub(crate) fn read_binding(
    object: &Object,
    namespaced: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<ReadBinding> {
    let mut reporter = Reporter::new(object, out);
    let namespace = if namespaced {
        namespace_of(object, &mut reporter)
    } else {
        String::new()
    };
    let Some(role_ref) = object.root.get("roleRef").filter(|n| n.as_map().is_some()) else {
        reporter.error("/roleRef", "no roleRef object; binding ignored");
        return None;
    };
    let kind = role_ref.get("kind").and_then(Node::as_str).unwrap_or("");
    let role_kind = match (kind, namespaced) {
        ("ClusterRole", _) => RoleKindName::ClusterRole,
        ("Role", true) => RoleKindName::Role,
        _ => {
            let allowed = if namespaced {
                "Role or ClusterRole"
            } else {
                "ClusterRole"
            };
            reporter.error(
                "/roleRef/kind",
                format!("roleRef.kind `{kind}` is not {allowed}; binding ignored"),
            );
            return None;
        }
    };
    let role_name = role_ref.get("name").and_then(Node::as_str).unwrap_or("");
    if role_name.is_empty() {
        reporter.error("/roleRef/name", "roleRef.name is empty; binding ignored");
        return None;
    }
    match role_ref.get("apiGroup").and_then(Node::as_str) {
        Some(RBAC_GROUP) => {}
        None => reporter.warning(
            "/roleRef",
            format!("roleRef.apiGroup is missing; it must be {RBAC_GROUP}"),
        ),
        Some(other) => reporter.error(
            "/roleRef/apiGroup",
            format!("roleRef.apiGroup `{other}` is not {RBAC_GROUP}"),
        ),
    }
    let subjects = read_subjects(object, &namespace, namespaced, &mut reporter);
    Some(ReadBinding {
        namespace,
        role_kind,
        role_name: role_name.to_owned(),
        subjects,
        location: object.location(object.root.span),
    })
}

fn read_subjects(
    object: &Object,
    namespace: &str,
    namespaced: bool,
    reporter: &mut Reporter<'_, '_>,
) -> Vec<Subject> {
    let items = match object.root.get("subjects").filter(|n| !n.is_null()) {
        None => &[][..],
        Some(node) => match node.as_seq() {
            Some(items) => items,
            None => {
                reporter.error(
                    "/subjects",
                    format!("subjects must be an array, found {}", node.type_name()),
                );
                return Vec::new();
            }
        },
    };
    if items.is_empty() {
        reporter.warning(
            "/subjects",
            "the binding has no subjects and grants nothing",
        );
    }
    let mut subjects = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let pointer = push_pointer("/subjects", index);
        let field = |key: &str| item.get(key).and_then(Node::as_str).unwrap_or("");
        let (kind_text, name) = (field("kind"), field("name"));
        let Some(kind) = SubjectKind::parse(kind_text) else {
            reporter.error(
                &pointer,
                format!(
                    "subject kind `{kind_text}` is not User, Group or ServiceAccount; subject \
                     ignored"
                ),
            );
            continue;
        };
        if name.is_empty() {
            reporter.error(&pointer, "the subject has no name; subject ignored");
            continue;
        }
        // Older API versions named the group in `apiVersion`; v1 defaults a missing one.
        let api_group = item
            .get("apiGroup")
            .or_else(|| item.get("apiVersion"))
            .and_then(Node::as_str);
        let expected_group = match kind {
            SubjectKind::ServiceAccount => "",
            SubjectKind::User | SubjectKind::Group => RBAC_GROUP,
        };
        if let Some(group) = api_group
            && group.split('/').next() != Some(expected_group)
        {
            reporter.warning(
                &pointer,
                format!(
                    "a {} subject's apiGroup is `{expected_group}`, found `{group}`",
                    kind.as_str()
                ),
            );
        }
        let subject_namespace = match kind {
            SubjectKind::ServiceAccount => match item.get("namespace").and_then(Node::as_str) {
                Some(ns) if !ns.is_empty() => ns,
                _ if namespaced => namespace,
                _ => {
                    reporter.error(
                        &pointer,
                        format!(
                            "service account `{name}` has no namespace, which a \
                             ClusterRoleBinding requires; it matches no one"
                        ),
                    );
                    continue;
                }
            },
            SubjectKind::User | SubjectKind::Group => "",
        };
        subjects.push(Subject {
            kind,
            namespace: subject_namespace.to_owned(),
            name: name.to_owned(),
        });
    }
    subjects
}
