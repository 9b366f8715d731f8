//! The search on small clusters: each technique with an input where it escalates and a near
//! miss where it must not, a three-step chain, and the provenance of every step.

use rampart_source::{Limits, parse_text};

use super::*;
use crate::rbac::{RbacModel, RbacOptions, Reason, Subject};

/// An admin service account in `ops` whose token a running Deployment holds: what most
/// techniques below lead to.
const ADMIN_BOT: &str = "
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin-bot}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects: [{kind: ServiceAccount, name: admin-bot, namespace: ops}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: admin-bot, namespace: ops}
";

const RUNNING_ADMIN_BOT: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: bot, namespace: ops}
spec:
  template:
    spec:
      serviceAccountName: admin-bot
      containers: [{name: bot, image: bot}]
";

const IDLE_ADMIN_BOT: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: bot, namespace: ops}
spec:
  template:
    spec:
      serviceAccountName: admin-bot
      automountServiceAccountToken: false
      containers: [{name: bot, image: bot}]
";

const ADMIN_BOT_TOKEN: &str = "
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: admin-bot-token
  namespace: ops
  annotations: {kubernetes.io/service-account.name: admin-bot}
";

const NODE_AGENT: &str = "
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-agent}
rules: [{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: node-agent}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-agent}
subjects: [{kind: ServiceAccount, name: agent, namespace: logging}]
";

const AWS_AUTH: &str = "
apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
";

/// `rules` for user mallory: a ClusterRole bound cluster-wide, or with `namespace` a Role
/// bound there.
fn grant(rules: &str, namespace: Option<&str>) -> String {
    let (role, binding, meta) = match namespace {
        None => ("ClusterRole", "ClusterRoleBinding", String::new()),
        Some(ns) => ("Role", "RoleBinding", format!(", namespace: {ns}")),
    };
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: {role}\nmetadata: {{name: mallory{meta}}}\n\
         rules: {rules}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: {binding}\n\
         metadata: {{name: mallory{meta}}}\n\
         roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role}, name: mallory}}\n\
         subjects: [{{apiGroup: rbac.authorization.k8s.io, kind: User, name: mallory}}]\n"
    )
}

fn paths(documents: &[&str], jewel: Jewel) -> Vec<EscalationPath> {
    let text = documents.join("\n---\n");
    let (objects, errors) = parse_text("t.yaml", &text, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    let model = RbacModel::build(&objects, &RbacOptions { defaults: false });
    let graph = EscalationGraph::new(&model, &ClusterFacts::of(&objects));
    let found = graph.paths(jewel);
    for path in &found {
        for step in &path.steps {
            for (_, reasons) in &step.permissions {
                assert!(!reasons.is_empty(), "every permission used has its grant");
            }
        }
    }
    found
}

/// The techniques of mallory's chain, or `None` when mallory has none.
fn mallory(documents: &[&str], jewel: Jewel) -> Option<Vec<&'static str>> {
    paths(documents, jewel)
        .into_iter()
        .find(|path| path.subject == Subject::user("mallory"))
        .map(|path| path.steps.iter().map(|s| s.technique.slug).collect())
}

struct Case {
    technique: &'static str,
    escalates: Vec<String>,
    near_miss: Vec<String>,
    jewel: Jewel,
    chain: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let ns = Some("ops");
    let with_bot = |extra: &[&str], grant: String| {
        let mut documents = vec![ADMIN_BOT.to_owned(), grant];
        documents.extend(extra.iter().map(|d| (*d).to_owned()));
        documents
    };
    vec![
        Case {
            technique: "create-workloads",
            escalates: with_bot(
                &[],
                grant(
                    "[{apiGroups: [apps], resources: [deployments], verbs: [patch]}]",
                    ns,
                ),
            ),
            near_miss: with_bot(
                &[],
                grant(
                    "[{apiGroups: [apps], resources: [deployments], verbs: [get, list]}]",
                    ns,
                ),
            ),
            jewel: Jewel::ClusterAdmin,
            chain: &["create-workloads", "wildcard"],
        },
        Case {
            technique: "exec-into-pods",
            escalates: with_bot(
                &[RUNNING_ADMIN_BOT],
                grant(
                    "[{apiGroups: [''], resources: [pods/exec], verbs: [create]}]",
                    ns,
                ),
            ),
            near_miss: with_bot(
                &[IDLE_ADMIN_BOT],
                grant(
                    "[{apiGroups: [''], resources: [pods/exec], verbs: [create]}]",
                    ns,
                ),
            ),
            jewel: Jewel::ClusterAdmin,
            chain: &["exec-into-pods", "wildcard"],
        },
        Case {
            technique: "read-secrets",
            escalates: with_bot(
                &[ADMIN_BOT_TOKEN],
                grant(
                    "[{apiGroups: [''], resources: [secrets], verbs: [list]}]",
                    ns,
                ),
            ),
            near_miss: with_bot(
                &[ADMIN_BOT_TOKEN],
                grant(
                    "[{apiGroups: [''], resources: [secrets], verbs: [get], resourceNames: [db-password]}]",
                    ns,
                ),
            ),
            jewel: Jewel::ClusterAdmin,
            chain: &["read-secrets", "wildcard"],
        },
        Case {
            technique: "node-proxy",
            escalates: with_bot(
                &[RUNNING_ADMIN_BOT],
                grant(
                    "[{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}]",
                    None,
                ),
            ),
            near_miss: with_bot(
                &[RUNNING_ADMIN_BOT],
                grant(
                    "[{apiGroups: [''], resources: [nodes/stats], verbs: [get]}]",
                    None,
                ),
            ),
            jewel: Jewel::ClusterAdmin,
            chain: &["node-proxy", "wildcard"],
        },
        Case {
            technique: "bind-or-escalate",
            escalates: vec![grant(
                "[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]",
                None,
            )],
            near_miss: vec![grant(
                "[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [get]}]",
                None,
            )],
            jewel: Jewel::ClusterAdmin,
            chain: &["bind-or-escalate"],
        },
        Case {
            technique: "impersonate",
            escalates: vec![grant(
                "[{apiGroups: [''], resources: [groups], verbs: [impersonate]}]",
                None,
            )],
            near_miss: vec![grant(
                "[{apiGroups: [''], resources: [groups], verbs: [impersonate], resourceNames: [developers]}]",
                None,
            )],
            jewel: Jewel::ClusterAdmin,
            chain: &["impersonate"],
        },
        Case {
            technique: "create-tokens",
            escalates: with_bot(
                &[],
                grant(
                    "[{apiGroups: [''], resources: [serviceaccounts/token], verbs: [create]}]",
                    ns,
                ),
            ),
            near_miss: with_bot(
                &[],
                grant(
                    "[{apiGroups: [''], resources: [serviceaccounts], verbs: [create]}]",
                    ns,
                ),
            ),
            jewel: Jewel::ClusterAdmin,
            chain: &["create-tokens", "wildcard"],
        },
        Case {
            technique: "approve-certificates",
            escalates: vec![grant(
                "[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}, {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}, {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: ['kubernetes.io/*']}]",
                None,
            )],
            near_miss: vec![grant(
                "[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}, {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}, {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [example.com/internal]}]",
                None,
            )],
            jewel: Jewel::ClusterAdmin,
            chain: &["approve-certificates"],
        },
        Case {
            technique: "write-webhooks",
            escalates: with_bot(
                &[RUNNING_ADMIN_BOT],
                grant(
                    "[{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [create]}]",
                    None,
                ),
            ),
            near_miss: with_bot(
                &[RUNNING_ADMIN_BOT],
                grant(
                    "[{apiGroups: [admissionregistration.k8s.io], resources: [validatingadmissionpolicies], verbs: [create]}]",
                    None,
                ),
            ),
            jewel: Jewel::ClusterAdmin,
            chain: &["write-webhooks", "wildcard"],
        },
        Case {
            technique: "write-aws-auth",
            escalates: vec![
                AWS_AUTH.to_owned(),
                grant(
                    "[{apiGroups: [''], resources: [configmaps], verbs: [patch], resourceNames: [aws-auth]}]",
                    Some("kube-system"),
                ),
            ],
            near_miss: vec![grant(
                "[{apiGroups: [''], resources: [configmaps], verbs: [patch], resourceNames: [aws-auth]}]",
                Some("kube-system"),
            )],
            jewel: Jewel::ClusterAdmin,
            chain: &["write-aws-auth"],
        },
        Case {
            technique: "impersonate",
            escalates: vec![
                NODE_AGENT.to_owned(),
                grant(
                    "[{apiGroups: [''], resources: [serviceaccounts], verbs: [impersonate]}]",
                    Some("logging"),
                ),
            ],
            near_miss: vec![
                NODE_AGENT.to_owned(),
                grant(
                    "[{apiGroups: [''], resources: [serviceaccounts], verbs: [impersonate]}]",
                    ns,
                ),
            ],
            jewel: Jewel::Nodes,
            chain: &["impersonate", "node-proxy"],
        },
    ]
}

#[test]
fn each_technique_escalates_and_its_near_miss_does_not() {
    for case in cases() {
        let escalates: Vec<&str> = case.escalates.iter().map(String::as_str).collect();
        let near_miss: Vec<&str> = case.near_miss.iter().map(String::as_str).collect();
        assert_eq!(
            mallory(&escalates, case.jewel).as_deref(),
            Some(case.chain),
            "{}",
            case.technique
        );
        assert_eq!(
            mallory(&near_miss, case.jewel),
            None,
            "{} near miss",
            case.technique
        );
    }
}

#[test]
fn chains_three_techniques_and_names_every_grant() {
    // support execs into a pod running as ci/deployer, which may create pods in infra,
    // where binder may bind any ClusterRole cluster-wide.
    let documents = [
        grant_to("Group", "support", "ci", "[{apiGroups: [''], resources: [pods/exec], verbs: [create]}]"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: runner, namespace: ci}\nspec:\n  serviceAccountName: deployer\n  containers: [{name: c, image: i}]".to_owned(),
        grant_to("ServiceAccount", "ci/deployer", "infra", "[{apiGroups: [''], resources: [pods], verbs: [create]}]"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: binder, namespace: infra}".to_owned(),
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: binder}\nrules:\n- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}\n- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: binder}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}\nsubjects: [{kind: ServiceAccount, name: binder, namespace: infra}]".to_owned(),
    ];
    let documents: Vec<&str> = documents.iter().map(String::as_str).collect();
    let found = paths(&documents, Jewel::ClusterAdmin);
    let support = found
        .iter()
        .find(|p| p.subject == Subject::group("support"))
        .expect("support escalates");
    let summary: Vec<_> = support
        .steps
        .iter()
        .map(|s| {
            (
                s.technique.slug,
                s.namespace.as_deref(),
                s.becomes.as_ref().map(ToString::to_string),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "exec-into-pods",
                Some("ci"),
                Some("system:serviceaccount:ci:deployer".to_owned())
            ),
            (
                "create-workloads",
                Some("infra"),
                Some("system:serviceaccount:infra:binder".to_owned())
            ),
            ("bind-or-escalate", None, None),
        ]
    );
    // Each step says what is done, to whom.
    let hows: Vec<&str> = support.steps.iter().map(|s| s.how.as_str()).collect();
    assert_eq!(
        hows,
        [
            "runs a command in a running pod of namespace ci that holds the token of \
             ServiceAccount ci/deployer",
            "creates a pod in namespace infra that runs as ServiceAccount infra/binder and \
             mounts its token",
            "creates a ClusterRoleBinding of the ClusterRole cluster-admin to itself",
        ]
    );
    let last = &support.steps[2];
    assert_eq!(last.permissions.len(), 2, "bind and create, together");
    assert!(matches!(last.permissions[0].1[0], Reason::Grant(_)));
    // The deployer and the binder escalate too, in fewer steps; nobody else does.
    let subjects: Vec<String> = found.iter().map(|p| p.subject.to_string()).collect();
    assert_eq!(
        subjects,
        [
            "group:support",
            "system:serviceaccount:ci:deployer",
            "system:serviceaccount:infra:binder"
        ]
    );
}

/// A namespaced grant of `rules` in `namespace` to a subject (a service account as
/// `namespace/name`).
fn grant_to(kind: &str, name: &str, namespace: &str, rules: &str) -> String {
    let subject = match kind {
        "ServiceAccount" => {
            let (home, account) = name.split_once('/').expect("namespace/name");
            format!("{{kind: ServiceAccount, name: {account}, namespace: {home}}}")
        }
        _ => format!("{{apiGroup: rbac.authorization.k8s.io, kind: {kind}, name: {name}}}"),
    };
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: grant, namespace: {namespace}}}\n\
         rules: {rules}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n\
         metadata: {{name: grant, namespace: {namespace}}}\n\
         roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: grant}}\n\
         subjects: [{subject}]"
    )
}

#[test]
fn a_rolebinding_step_says_which_role_it_binds_to_whom() {
    let binder = grant(
        "[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, \
         {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}]",
        Some("ops"),
    );
    let found = paths(&[ADMIN_BOT, binder.as_str()], Jewel::ClusterAdmin);
    let path = found
        .iter()
        .find(|p| p.subject == Subject::user("mallory"))
        .expect("mallory escalates");
    assert_eq!(
        path.steps[0].how,
        "creates a RoleBinding in namespace ops of the ClusterRole admin to itself, then \
         impersonates ServiceAccount ops/admin-bot, which admin allows"
    );
    // A Role cannot grant `create clusterrolebindings`: with it, `bind` leads nowhere.
    let inert = grant(
        "[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, \
         {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]",
        Some("ops"),
    );
    assert_eq!(
        mallory(&[ADMIN_BOT, inert.as_str()], Jewel::ClusterAdmin),
        None
    );
}

#[test]
fn holding_the_target_is_no_escalation() {
    let found = paths(&[ADMIN_BOT, RUNNING_ADMIN_BOT], Jewel::ClusterAdmin);
    assert!(found.is_empty(), "{found:?}");
    // Cluster-admin holds every jewel; node access is not cluster-admin.
    let admin = grant("[{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]", None);
    assert_eq!(mallory(&[&admin], Jewel::Secrets), None);
    let node_agent = grant(
        "[{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}]",
        None,
    );
    let documents = [ADMIN_BOT, RUNNING_ADMIN_BOT, node_agent.as_str()];
    assert_eq!(mallory(&documents, Jewel::Nodes), None);
    assert_eq!(
        mallory(&documents, Jewel::ClusterAdmin).as_deref(),
        Some(&["node-proxy", "wildcard"][..])
    );
}

#[test]
fn the_catalogue_is_in_code_order_with_unique_slugs() {
    let codes: Vec<&str> = TECHNIQUES.iter().map(|t| t.code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted);
    let mut slugs: Vec<&str> = TECHNIQUES.iter().map(|t| t.slug).collect();
    slugs.sort_unstable();
    slugs.dedup();
    assert_eq!(slugs.len(), TECHNIQUES.len());
}

mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::rbac::{Identity, Request, SubjectKind, identity_of};

    /// Rules worth chaining, and near misses.
    const RULES: &[&str] = &[
        "{apiGroups: [''], resources: [pods], verbs: [create]}",
        "{apiGroups: [''], resources: [pods/exec], verbs: [create]}",
        "{apiGroups: [''], resources: [secrets], verbs: [list]}",
        "{apiGroups: [''], resources: [secrets], verbs: [get], resourceNames: [x]}",
        "{apiGroups: [''], resources: [serviceaccounts/token], verbs: [create]}",
        "{apiGroups: [''], resources: [serviceaccounts, users], verbs: [impersonate]}",
        "{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles, clusterrolebindings, rolebindings], verbs: [bind, create]}",
        "{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, update]}",
        "{apiGroups: [''], resources: [nodes/proxy], verbs: [get]}",
        "{apiGroups: ['*'], resources: ['*'], verbs: ['*']}",
        "{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests, certificatesigningrequests/approval, signers], verbs: [create, update, approve]}",
    ];
    const SUBJECTS: &[&str] = &[
        "{kind: ServiceAccount, name: web, namespace: a}",
        "{kind: ServiceAccount, name: job, namespace: b}",
        "{kind: ServiceAccount, name: default, namespace: b}",
        "{apiGroup: rbac.authorization.k8s.io, kind: User, name: ann}",
        "{apiGroup: rbac.authorization.k8s.io, kind: Group, name: ops}",
    ];
    /// Where a grant is bound: cluster-wide or in a namespace.
    const SCOPES: &[Option<&str>] = &[None, Some("a"), Some("b")];
    const PODS: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: a}\n\
                        spec: {serviceAccountName: web, containers: [{name: c, image: i}]}\n---\n\
                        apiVersion: v1\nkind: Pod\nmetadata: {name: job, namespace: b}\n\
                        spec: {serviceAccountName: job, containers: [{name: c, image: i}]}";

    fn cluster(grants: &[(usize, usize, usize)]) -> String {
        let mut documents = vec![PODS.to_owned()];
        for (index, &(rule, subject, scope)) in grants.iter().enumerate() {
            let (role, binding, meta) = match SCOPES[scope] {
                None => ("ClusterRole", "ClusterRoleBinding", String::new()),
                Some(ns) => ("Role", "RoleBinding", format!(", namespace: {ns}")),
            };
            documents.push(format!(
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: {role}\n\
                 metadata: {{name: g{index}{meta}}}\nrules: [{}]\n---\n\
                 apiVersion: rbac.authorization.k8s.io/v1\nkind: {binding}\n\
                 metadata: {{name: g{index}{meta}}}\n\
                 roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role}, name: g{index}}}\n\
                 subjects: [{}]",
                RULES[rule], SUBJECTS[subject]
            ));
        }
        documents.join("\n---\n")
    }

    fn holds_everything(model: &RbacModel, identity: &Identity) -> bool {
        model
            .can_i(identity, &Request::resource("*", "", "*", "*", "", ""))
            .allowed
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Every step of every path is allowed to its actor by the authorizer, leads where its
        /// technique leads, and the chain is connected; no one who holds cluster-admin is
        /// listed for it.
        #[test]
        fn every_step_is_authorized_and_the_chain_connects(
            grants in proptest::collection::vec(
                (0..RULES.len(), 0..SUBJECTS.len(), 0..SCOPES.len()),
                0..8,
            )
        ) {
            let text = cluster(&grants);
            let (objects, errors) = parse_text("p.yaml", &text, &Limits::default());
            prop_assert!(errors.is_empty(), "{errors:?}");
            let model = RbacModel::build(&objects, &RbacOptions::default());
            let graph = EscalationGraph::new(&model, &ClusterFacts::of(&objects));
            for jewel in [Jewel::ClusterAdmin, Jewel::Secrets, Jewel::Nodes] {
                for path in graph.paths(jewel) {
                    prop_assert_eq!(&path.steps[0].actor, &path.subject);
                    if jewel == Jewel::ClusterAdmin {
                        let identity = identity_of(&path.subject, &[]);
                        prop_assert!(!identity.is_privileged());
                        prop_assert!(!holds_everything(&model, &identity), "{path:?}");
                    }
                    for (index, step) in path.steps.iter().enumerate() {
                        let identity = identity_of(&step.actor, &[]);
                        prop_assert!(!step.permissions.is_empty() || identity.is_privileged());
                        for (request, reasons) in &step.permissions {
                            prop_assert!(!reasons.is_empty());
                            prop_assert!(model.can_i(&identity, request).allowed);
                        }
                        let last = index + 1 == path.steps.len();
                        prop_assert_eq!(step.becomes.is_none(), last, "{:?}", path);
                        if let Some(next) = &step.becomes {
                            prop_assert_eq!(&path.steps[index + 1].actor, next);
                            let to_account = matches!(
                                step.gain,
                                Gain::AnyAccount | Gain::MountedAccounts | Gain::StoredTokens
                            );
                            if to_account {
                                prop_assert_eq!(next.kind, SubjectKind::ServiceAccount);
                                prop_assert_eq!(step.namespace.as_deref(), Some(next.namespace.as_str()));
                            }
                        }
                    }
                }
            }
        }
    }
}
