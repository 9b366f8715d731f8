//! The authorizer against the upstream table tests (restated in `testdata/authorizer.yaml`),
//! loading and diagnostics, defaults, the workload link, and properties of the matching algebra.

use rampart_core::Level;
use rampart_source::{Limits, Node, Object, parse_stream, parse_text};
use serde_json::{Value, json};

use super::*;

mod properties;

fn objects(text: &str) -> Vec<Object> {
    let (objects, errors) = parse_text("t.yaml", text, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    objects
}

fn model(text: &str) -> RbacModel {
    RbacModel::build(&objects(text), &RbacOptions { defaults: false })
}

fn text(node: &Node, key: &str) -> String {
    node.get(key)
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_owned()
}

fn texts(node: &Node, key: &str) -> Vec<String> {
    node.get(key)
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect()
}

/// `User/name`, `Group/name` or `ServiceAccount/namespace/name` (empty namespace: none).
fn subject(spec: &str) -> Subject {
    let (kind, rest) = spec.split_once('/').unwrap();
    match kind {
        "User" => Subject::user(rest),
        "Group" => Subject::group(rest),
        "ServiceAccount" => {
            let (namespace, name) = rest.split_once('/').unwrap();
            Subject::service_account(namespace, name)
        }
        _ => panic!("bad subject {spec}"),
    }
}

fn subject_json(spec: &str) -> Value {
    let subject = subject(spec);
    match subject.kind {
        SubjectKind::ServiceAccount if subject.namespace.is_empty() => {
            json!({"kind": "ServiceAccount", "name": subject.name})
        }
        SubjectKind::ServiceAccount => {
            json!({"kind": "ServiceAccount", "name": subject.name, "namespace": subject.namespace})
        }
        kind => json!({"kind": kind.as_str(), "apiGroup": RBAC_GROUP, "name": subject.name}),
    }
}

/// A test policy as Kubernetes objects (JSON documents, which YAML reads as they are).
fn policy_objects(case: &Node) -> String {
    let meta = |item: &Node| {
        let mut meta = json!({"name": text(item, "name")});
        if let Some(ns) = item.get("namespace") {
            meta["namespace"] = ns.to_json();
        }
        if let Some(labels) = item.get("labels") {
            meta["labels"] = labels.to_json();
        }
        meta
    };
    let mut documents = Vec::new();
    for (key, kind) in [("roles", "Role"), ("clusterRoles", "ClusterRole")] {
        for item in case.get(key).map(Node::items).unwrap_or(&[]) {
            let mut role = json!({
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta(item),
                "rules": item.get("rules").map_or(json!([]), Node::to_json),
            });
            if let Some(selectors) = item.get("aggregate") {
                role["aggregationRule"] = json!({"clusterRoleSelectors": selectors.to_json()});
            }
            documents.push(role);
        }
    }
    for (key, kind) in [
        ("roleBindings", "RoleBinding"),
        ("clusterRoleBindings", "ClusterRoleBinding"),
    ] {
        for (index, item) in case
            .get(key)
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let role = text(item, "role");
            let (role_kind, role_name) = role.split_once('/').unwrap_or(("ClusterRole", &role));
            let mut metadata = json!({"name": format!("binding-{index}")});
            if let Some(ns) = item.get("namespace") {
                metadata["namespace"] = ns.to_json();
            }
            let subjects: Vec<Value> = texts(item, "subjects")
                .iter()
                .map(|s| subject_json(s))
                .collect();
            documents.push(json!({
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": metadata,
                "roleRef": {"apiGroup": RBAC_GROUP, "kind": role_kind, "name": role_name},
                "subjects": subjects,
            }));
        }
    }
    documents
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n---\n")
}

fn request(node: &Node) -> Request {
    let verb = text(node, "verb");
    match node.get("path") {
        Some(path) => Request::non_resource(&verb, path.as_str().unwrap()),
        None => Request::resource(
            &verb,
            &text(node, "namespace"),
            &text(node, "apiGroup"),
            &text(node, "resource"),
            &text(node, "subresource"),
            &text(node, "name"),
        ),
    }
}

fn requester(node: &Node) -> Identity {
    let groups = texts(node, "groups");
    let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
    Identity::raw(&text(node, "user"), &groups)
}

fn test_data() -> Node {
    let (mut documents, error) =
        parse_stream(include_str!("testdata/authorizer.yaml"), &Limits::default());
    assert!(error.is_none(), "{error:?}");
    documents.remove(0).root
}

#[test]
fn authorizer_tables() {
    let data = test_data();
    let mut checked = 0;
    for case in data.get("policies").unwrap().items() {
        let name = text(case, "name");
        let model = model(&policy_objects(case));
        for (key, expected) in [("allow", true), ("deny", false)] {
            for item in case.get(key).map(Node::items).unwrap_or(&[]) {
                let (identity, request) = (requester(item), request(item));
                let decision = model.can_i(&identity, &request);
                assert_eq!(
                    decision.allowed, expected,
                    "{name}: {identity:?} {request}: {decision:?}"
                );
                checked += 1;
            }
        }
        for item in case.get("whoCan").map(Node::items).unwrap_or(&[]) {
            let request = request(item.get("request").unwrap());
            let mut expected: Vec<Subject> =
                texts(item, "subjects").iter().map(|s| subject(s)).collect();
            expected.sort();
            let found: Vec<Subject> = model
                .who_can(&request)
                .into_iter()
                .map(|allowed| allowed.subject)
                .collect();
            assert_eq!(found, expected, "{name}: who can {request}");
            checked += 1;
        }
    }
    for case in data.get("rules").unwrap().items() {
        let name = text(case, "name");
        let rule_node = case.get("rule").unwrap();
        let rule = PolicyRule {
            verbs: texts(rule_node, "verbs"),
            api_groups: texts(rule_node, "apiGroups"),
            resources: texts(rule_node, "resources"),
            resource_names: texts(rule_node, "resourceNames"),
            non_resource_urls: texts(rule_node, "nonResourceURLs"),
        };
        for (key, expected) in [("allow", true), ("deny", false)] {
            for item in case.get(key).map(Node::items).unwrap_or(&[]) {
                let request = request(item);
                assert_eq!(rule.allows(&request), expected, "{name}: {request}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 130, "{checked} checks");
}

fn messages(model: &RbacModel) -> Vec<(Level, u32, String)> {
    model
        .diagnostics()
        .iter()
        .map(|d| (d.level, d.line.unwrap_or_default(), d.message.clone()))
        .collect()
}

#[test]
fn malformed_input_is_reported_with_lines_and_the_rest_is_kept() {
    let model = model(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: shop}
rules:
- {apiGroups: [''], resources: [pods]}
- {apiGroups: [''], resources: pods, verbs: [get]}
- {apiGroups: [''], resources: [pods], verbs: [GET, get]}
- {apiGroups: [''], resources: [nodes], verbs: [get]}
- {nonResourceURLs: [/healthz], verbs: [get]}
- just-a-string
- {apiGroups: [''], resources: ['pods/*'], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: nowhere}
subjects: [{kind: Robot, name: x}, {kind: User, name: ann}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: c}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: User, name: ann}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: d}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: d}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: web}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: e}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: []
",
    );
    let found = messages(&model);
    let expect = |level: Level, line: u32, fragment: &str| {
        assert!(
            found
                .iter()
                .any(|(l, n, m)| *l == level && *n == line && m.contains(fragment)),
            "no {level:?} at line {line} containing {fragment:?} in {found:#?}"
        );
    };
    use Level::{Error, Warning};
    expect(Error, 5, "verbs must contain at least one value");
    expect(Error, 6, "must be an array of strings, found string");
    expect(Warning, 7, "unknown verb `GET`");
    expect(Warning, 8, "`nodes` is cluster-scoped");
    expect(Error, 9, "a Role cannot grant non-resource URLs");
    expect(Error, 10, "a rule must be an object");
    expect(Warning, 11, "`pods/*` grants no subresource");
    expect(Error, 17, "subject kind `Robot`");
    // Accepted by the API server; the binding grants nothing until the role exists.
    expect(Warning, 16, "roleRef names Role nowhere in namespace shop");
    expect(Error, 22, "roleRef.kind `Role` is not ClusterRole");
    // The later one replaces the earlier: both were scanned.
    expect(Warning, 30, "defined twice (also at t.yaml:25)");
    expect(
        Warning,
        33,
        "roleRef names ClusterRole view, which is not in the input",
    );
    expect(Error, 34, "service account `web` has no namespace");
    expect(Warning, 40, "has no subjects");
    // The valid rules of the role still count.
    let role = model.find_role(RoleKind::Role, "shop", "r").unwrap();
    assert_eq!(model.role(role).rules.len(), 3);
}

#[test]
fn defaults_bind_the_well_known_roles() {
    let objects = objects(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}]
",
    );
    let model = RbacModel::build(&objects, &RbacOptions::default());
    assert!(model.diagnostics().is_empty(), "{:?}", model.diagnostics());
    let dev = Identity::raw("dan", &["devs"]);
    let exec = Request::resource("create", "shop", "", "pods", "exec", "web-1");
    let decision = model.can_i(&dev, &exec);
    assert!(decision.allowed);
    // The grant cites the binding, the aggregated role and the rule it came from.
    let Reason::Grant(grant) = decision.reasons[0] else {
        panic!("{decision:?}")
    };
    assert_eq!(model.binding(grant.binding).name, "devs-edit");
    assert_eq!(model.role(grant.role).name, "edit");
    let origin = model.role(model.rule(grant.rule).role);
    assert_eq!(origin.name, "system:aggregate-to-edit");
    assert_eq!(&*origin.location.path, DEFAULTS_PATH);
    // `admin` includes `edit` (which includes `view`); `view` cannot read secrets.
    let admin = model.find_role(RoleKind::ClusterRole, "", "admin").unwrap();
    let view = model.find_role(RoleKind::ClusterRole, "", "view").unwrap();
    let list_secrets = Request::resource("list", "shop", "", "secrets", "", "");
    let rules_allow = |role: RoleId, request: &Request| {
        model
            .role(role)
            .rules
            .iter()
            .any(|&r| model.rule(r).rule.allows(request))
    };
    assert!(rules_allow(admin, &exec) && rules_allow(admin, &list_secrets));
    let list_pods = Request::resource("list", "shop", "", "pods", "", "");
    assert!(rules_allow(view, &list_pods) && !rules_allow(view, &list_secrets));
    // Every authenticated identity may discover the API; the anonymous user only health.
    let anyone = identity_of(&Subject::user("someone"), &[]);
    assert!(
        model
            .can_i(&anyone, &Request::non_resource("get", "/apis/apps"))
            .allowed
    );
    let anonymous = identity_of(&Subject::user(ANONYMOUS), &[]);
    assert!(
        !model
            .can_i(&anonymous, &Request::non_resource("get", "/apis"))
            .allowed
    );
    assert!(
        model
            .can_i(&anonymous, &Request::non_resource("get", "/healthz"))
            .allowed
    );
    // Without defaults the binding points at nothing.
    let bare = RbacModel::build(&objects, &RbacOptions { defaults: false });
    assert!(!bare.can_i(&dev, &exec).allowed);
    assert_eq!(bare.diagnostics()[0].level, Level::Warning);
}

#[test]
fn a_role_may_delegate_binding_cluster_roles_in_its_namespace() {
    let model = model(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: delegate, namespace: shop}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind, escalate]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [get, bind]}
- {apiGroups: [''], resources: [users], verbs: [impersonate]}
",
    );
    let found = messages(&model);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].1, 6);
    assert!(
        found[0]
            .2
            .contains("in a Role only `bind` and `escalate` on it take effect")
    );
    assert_eq!(found[1].1, 7);
    assert!(
        found[1]
            .2
            .contains("`users` is cluster-scoped; a Role cannot grant it")
    );
}

#[test]
fn bootstrap_roles_redefined_are_restored_unless_they_opt_out() {
    let redefined = |annotations: &str| {
        RbacModel::build(
            &objects(&format!(
                "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: system:basic-user{annotations}}}
rules: [{{apiGroups: [''], resources: [configmaps], verbs: [get]}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: system:basic-user{annotations}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:basic-user}}
subjects: [{{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}}]
"
            )),
            &RbacOptions::default(),
        )
    };
    let anyone = identity_of(&Subject::user("someone"), &[]);
    let ops = Identity::raw("olga", &["ops"]);
    let review = Request::resource(
        "create",
        "",
        "authorization.k8s.io",
        "selfsubjectrulesreviews",
        "",
        "",
    );
    let configmaps = Request::resource("get", "shop", "", "configmaps", "", "");

    // Without the annotation the API server adds the default rules and subjects back.
    let model = redefined("");
    let basic = model
        .find_role(RoleKind::ClusterRole, "", "system:basic-user")
        .unwrap();
    assert!(!model.role(basic).builtin);
    assert_eq!(model.role(basic).declared_rules.len(), 1);
    assert!(
        model.can_i(&anyone, &review).allowed,
        "the default subject keeps its grant"
    );
    assert!(
        model.can_i(&anyone, &configmaps).allowed,
        "and gets the input's rule"
    );
    assert!(model.can_i(&ops, &review).allowed && model.can_i(&ops, &configmaps).allowed);
    let warnings: Vec<_> = model
        .diagnostics()
        .iter()
        .map(|d| (d.level, d.line, d.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .all(|(level, _, message)| *level == Level::Warning
                && message.contains("adds its default rules and subjects back"))
    );

    // With it, the input's definition is the cluster's.
    let model = redefined(", annotations: {rbac.authorization.kubernetes.io/autoupdate: 'false'}");
    assert!(model.diagnostics().is_empty(), "{:?}", model.diagnostics());
    let basic = model
        .find_role(RoleKind::ClusterRole, "", "system:basic-user")
        .unwrap();
    assert_eq!(model.role(basic).rules.len(), 1);
    assert!(!model.can_i(&anyone, &review).allowed);
    assert!(!model.can_i(&anyone, &configmaps).allowed);
    assert!(model.can_i(&ops, &configmaps).allowed && !model.can_i(&ops, &review).allowed);
}

#[test]
fn permissions_list_cluster_wide_grants_first() {
    let model = model(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
- {apiGroups: [''], resources: [pods], verbs: [get]}
- {nonResourceURLs: [/metrics], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: in-b, namespace: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: ServiceAccount, name: web, namespace: a}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: all-sa}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: Group, name: 'system:serviceaccounts:a', apiGroup: rbac.authorization.k8s.io}]
",
    );
    let web = identity_of(&Subject::service_account("a", "web"), &[]);
    let scopes = model.permissions(&web);
    let summary: Vec<(Option<&str>, usize)> = scopes
        .iter()
        .map(|s| (s.namespace.as_deref(), s.grants.len()))
        .collect();
    // The RoleBinding cannot make the URL rule effective in namespace b.
    assert_eq!(summary, [(None, 2), (Some("b"), 1)]);
}

#[test]
fn service_accounts_know_their_workloads_and_tokens() {
    let model = model(
        "apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {spec: {serviceAccountName: quiet, containers: [{name: a}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: loud, namespace: shop}
spec: {template: {spec: {serviceAccountName: quiet, automountServiceAccountToken: true}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: job, namespace: shop}
spec: {jobTemplate: {spec: {template: {spec: {automountServiceAccountToken: false, volumes: [{name: t, projected: {sources: [{serviceAccountToken: {path: token}}]}}]}}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec: {serviceAccount: legacy}
",
    );
    /// (namespace, name, declared, [(workload, token mounted)])
    type Summary<'a> = (&'a str, &'a str, bool, Vec<(&'a str, bool)>);
    let accounts: Vec<Summary<'_>> = model
        .service_accounts()
        .iter()
        .map(|sa| {
            (
                sa.namespace.as_str(),
                sa.name.as_str(),
                sa.location.is_some(),
                sa.workloads
                    .iter()
                    .map(|w| (w.object.name.as_str(), w.token_mounted()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        accounts,
        [
            ("default", "legacy", false, vec![("bare", true)]),
            ("shop", "default", false, vec![("job", true)]),
            ("shop", "quiet", true, vec![("api", false), ("loud", true)]),
        ]
    );
    let quiet = model.service_account("shop", "quiet").unwrap();
    assert_eq!(
        quiet.workloads[0].automount,
        Automount::ServiceAccount(false)
    );
    assert_eq!(quiet.workloads[1].automount, Automount::Pod(true));
}
