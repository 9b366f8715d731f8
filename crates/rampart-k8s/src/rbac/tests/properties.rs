//! Properties of the matching algebra and of the model, on random small policies.

use proptest::prelude::*;
use serde_json::json;

use super::super::*;
use super::model;

const VERBS: &[&str] = &["get", "list", "create", "*"];
const GROUPS: &[&str] = &["", "apps", "*"];
const RESOURCES: &[&str] = &["pods", "pods/log", "deployments", "*/scale", "*", "secrets"];
const NAMES: &[&str] = &["", "a"];
const NAMESPACES: &[&str] = &["ns1", "ns2"];
const SUBJECTS: &[(&str, &str, &str)] = &[
    ("User", "", "alice"),
    ("User", "", "bob"),
    ("Group", "", "dev"),
    ("ServiceAccount", "ns1", "web"),
    ("ServiceAccount", "ns2", "web"),
];

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

fn subset(items: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(items, 1..=items.len())
        .prop_map(|v| v.into_iter().map(str::to_owned).collect())
}

fn rule() -> impl Strategy<Value = PolicyRule> {
    (
        subset(VERBS),
        subset(GROUPS),
        subset(RESOURCES),
        prop_oneof![Just(vec![]), Just(vec!["a".to_owned()])],
    )
        .prop_map(
            |(verbs, api_groups, resources, resource_names)| PolicyRule {
                verbs,
                api_groups,
                resources,
                resource_names,
                non_resource_urls: vec![],
            },
        )
}

/// Every request of the small vocabulary, namespaced and cluster-wide.
fn all_requests() -> Vec<Request> {
    let resources = [
        "pods",
        "pods/log",
        "pods/exec",
        "deployments/scale",
        "secrets",
    ];
    let mut requests = Vec::new();
    for verb in ["get", "list", "create", "*"] {
        for group in ["", "apps"] {
            for resource in resources {
                let (resource, sub) = resource.split_once('/').unwrap_or((resource, ""));
                for name in NAMES {
                    for namespace in ["", "ns1", "ns2"] {
                        requests.push(Request::resource(
                            verb, namespace, group, resource, sub, name,
                        ));
                    }
                }
            }
        }
    }
    requests
}

#[derive(Debug, Clone)]
struct Policy {
    /// (ClusterRole?, namespace, rules)
    roles: Vec<(bool, &'static str, Vec<PolicyRule>)>,
    /// (ClusterRoleBinding?, namespace, role index, subject indexes)
    bindings: Vec<(bool, &'static str, usize, Vec<usize>)>,
}

fn policy() -> impl Strategy<Value = Policy> {
    let role = (
        any::<bool>(),
        pick(NAMESPACES),
        proptest::collection::vec(rule(), 0..3),
    );
    let binding = (
        any::<bool>(),
        pick(NAMESPACES),
        0..4usize,
        proptest::collection::vec(0..SUBJECTS.len(), 1..3),
    );
    (
        proptest::collection::vec(role, 1..4),
        proptest::collection::vec(binding, 0..5),
    )
        .prop_map(|(roles, bindings)| Policy { roles, bindings })
}

fn rule_json(rule: &PolicyRule) -> serde_json::Value {
    json!({"verbs": rule.verbs, "apiGroups": rule.api_groups, "resources": rule.resources,
           "resourceNames": rule.resource_names})
}

impl Policy {
    fn to_yaml(&self) -> String {
        let mut documents = Vec::new();
        for (index, (cluster, namespace, rules)) in self.roles.iter().enumerate() {
            let rules: Vec<_> = rules.iter().map(rule_json).collect();
            let (kind, metadata) = if *cluster {
                ("ClusterRole", json!({"name": format!("r{index}")}))
            } else {
                (
                    "Role",
                    json!({"name": format!("r{index}"), "namespace": namespace}),
                )
            };
            documents.push(
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
                                  "metadata": metadata, "rules": rules}),
            );
        }
        for (index, (cluster, namespace, role, subjects)) in self.bindings.iter().enumerate() {
            let role = role % self.roles.len();
            let role_kind = if self.roles[role].0 {
                "ClusterRole"
            } else {
                "Role"
            };
            let subjects: Vec<_> = subjects
                .iter()
                .map(|&s| {
                    let (kind, ns, name) = SUBJECTS[s];
                    json!({"kind": kind, "namespace": ns, "name": name,
                           "apiGroup": if kind == "ServiceAccount" { "" } else { RBAC_GROUP }})
                })
                .collect();
            // A ClusterRoleBinding can only bind a ClusterRole; keep the case meaningful.
            let cluster = *cluster && role_kind == "ClusterRole";
            let (kind, metadata) = if cluster {
                ("ClusterRoleBinding", json!({"name": format!("b{index}")}))
            } else {
                (
                    "RoleBinding",
                    json!({"name": format!("b{index}"), "namespace": namespace}),
                )
            };
            documents.push(
                json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
                "metadata": metadata,
                "roleRef": {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": format!("r{role}")},
                "subjects": subjects}),
            );
        }
        documents
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n---\n")
    }
}

fn subject_of(index: usize) -> Subject {
    let (kind, namespace, name) = SUBJECTS[index];
    match kind {
        "User" => Subject::user(name),
        "Group" => Subject::group(name),
        _ => Subject::service_account(namespace, name),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn star_verb_matches_every_verb(rule in rule(), verb in "[a-z]{1,10}") {
        let rule = PolicyRule { verbs: vec!["*".to_owned()], ..rule };
        prop_assert!(rule.verb_matches(&verb));
    }

    #[test]
    fn star_slash_sub_matches_that_subresource_of_every_resource(
        resource in "[a-z]{1,8}", sub in "[a-z]{1,8}", other in "[a-z]{1,8}",
    ) {
        let rule = PolicyRule {
            verbs: vec!["get".into()], api_groups: vec!["".into()],
            resources: vec![format!("*/{sub}")], ..PolicyRule::default()
        };
        prop_assert!(rule.resource_matches(&resource, &sub));
        prop_assert!(!rule.resource_matches(&resource, ""));
        prop_assert_eq!(rule.resource_matches(&resource, &other), other == sub);
    }

    /// `pods/*` is no wildcard to the API server: it grants neither `pods` nor any named
    /// subresource of it.
    #[test]
    fn resource_slash_star_matches_no_named_subresource(resource in "[a-z]{1,8}", sub in "[a-z]{1,8}") {
        let rule = PolicyRule {
            verbs: vec!["get".into()], api_groups: vec!["".into()],
            resources: vec![format!("{resource}/*")], ..PolicyRule::default()
        };
        prop_assert!(!rule.resource_matches(&resource, ""));
        prop_assert!(!rule.resource_matches(&resource, &sub));
    }

    #[test]
    fn a_url_prefix_matches_every_longer_path(prefix in "/[a-z]{0,6}", rest in "[a-z/]{0,6}") {
        let rule = PolicyRule {
            verbs: vec!["get".into()], non_resource_urls: vec![format!("{prefix}*")],
            ..PolicyRule::default()
        };
        let path = format!("{prefix}{rest}");
        prop_assert!(rule.url_matches(&path));
    }

    #[test]
    fn adding_a_rule_never_removes_a_permission(policy in policy(), extra in rule(), at in 0..4usize) {
        let before = model(&policy.to_yaml());
        let mut grown = policy.clone();
        let role = at % grown.roles.len();
        grown.roles[role].2.push(extra);
        let after = model(&grown.to_yaml());
        for request in all_requests() {
            for index in 0..SUBJECTS.len() {
                let identity = Identity::of_subject(&subject_of(index));
                if before.can_i(&identity, &request).allowed {
                    prop_assert!(after.can_i(&identity, &request).allowed, "{request}");
                }
            }
        }
    }

    #[test]
    fn who_can_lists_exactly_the_subjects_that_can(policy in policy()) {
        let model = model(&policy.to_yaml());
        for request in all_requests() {
            let listed: Vec<Subject> =
                model.who_can(&request).into_iter().map(|a| a.subject).collect();
            for index in 0..SUBJECTS.len() {
                let subject = subject_of(index);
                let allowed = model.can_i(&Identity::of_subject(&subject), &request).allowed;
                prop_assert_eq!(listed.contains(&subject), allowed, "{} {}", subject, request);
            }
        }
    }
}
