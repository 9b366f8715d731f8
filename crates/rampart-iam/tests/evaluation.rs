//! The evaluation logic, semantic by semantic: each case is one that must allow beside one
//! that must not, and the statements named as deciding.

use rampart_iam::{
    Caller, Named, Policies, Policy, PolicyKind, Request, Resource, ResourcePolicy, Tri, Unknown,
    Verdict, evaluate,
};
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";

fn policy(statements: Value) -> Policy {
    Policy::from_value(&json!({"Version": "2012-10-17", "Statement": statements})).unwrap()
}

fn alice() -> Caller {
    Caller::user("aws", ACCOUNT, "alice")
}

fn app() -> Caller {
    Caller::role("aws", ACCOUNT, "app")
}

/// The verdict for `caller` doing `action` on `resource` with only identity policies.
fn identity(caller: &Caller, policies: &[&Policy], action: &str, resource: &str) -> Verdict {
    let names: Vec<String> = (0..policies.len()).map(|i| format!("p{i}")).collect();
    let policies = Policies {
        identity: policies
            .iter()
            .zip(&names)
            .map(|(policy, name)| Named { name, policy })
            .collect(),
        ..Policies::default()
    };
    evaluate(&request(caller, action, resource), &policies).verdict
}

fn request<'a>(caller: &'a Caller, action: &'a str, resource: &'a str) -> Request<'a> {
    Request {
        caller,
        action,
        resource: match resource {
            "*" => Resource::Every,
            arn => Resource::Arn(arn),
        },
    }
}

#[test]
fn nothing_allowed_is_denied() {
    assert_eq!(
        identity(&alice(), &[], "s3:GetObject", "*"),
        Verdict::Denied
    );
}

#[test]
fn action_wildcards_in_the_middle_of_a_name_and_any_case() {
    let p = policy(json!([{"Effect": "Allow", "Action": "iam:*Policy*", "Resource": "*"}]));
    assert_eq!(
        identity(&alice(), &[&p], "iam:PutUserPolicy", "*"),
        Verdict::Allowed
    );
    assert_eq!(
        identity(&alice(), &[&p], "IAM:createpolicyversion", "*"),
        Verdict::Allowed
    );
    assert_eq!(
        identity(&alice(), &[&p], "iam:PassRole", "*"),
        Verdict::Denied
    );
    let q = policy(json!([{"Effect": "Allow", "Action": "ec2:?unInstances", "Resource": "*"}]));
    assert_eq!(
        identity(&alice(), &[&q], "ec2:RunInstances", "*"),
        Verdict::Allowed
    );
    assert_eq!(
        identity(&alice(), &[&q], "ec2:RRunInstances", "*"),
        Verdict::Denied
    );
}

#[test]
fn not_action_allows_everything_else() {
    let p = policy(json!([{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]));
    assert_eq!(
        identity(&alice(), &[&p], "iam:PassRole", "*"),
        Verdict::Allowed
    );
    assert_eq!(
        identity(&alice(), &[&p], "s3:GetObject", "*"),
        Verdict::Denied
    );
}

#[test]
fn not_resource_covers_every_resource_but_those() {
    let p = policy(json!([{
        "Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"
    }]));
    assert_eq!(
        identity(&alice(), &[&p], "s3:GetObject", "arn:aws:s3:::public/a"),
        Verdict::Allowed
    );
    assert_eq!(
        identity(&alice(), &[&p], "s3:GetObject", "arn:aws:s3:::secret/a"),
        Verdict::Denied
    );
    // Every resource: all but some.
    assert_eq!(
        identity(&alice(), &[&p], "s3:GetObject", "*"),
        Verdict::Conditional
    );
    let none = policy(json!([{"Effect": "Allow", "Action": "s3:*", "NotResource": "*"}]));
    assert_eq!(
        identity(&alice(), &[&none], "s3:GetObject", "*"),
        Verdict::Denied
    );
}

#[test]
fn an_explicit_deny_wins_and_is_named() {
    let allow = policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    let deny = policy(json!([
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"},
        {"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}
    ]));
    let caller = alice();
    let policies = Policies {
        identity: vec![
            Named {
                name: "admin",
                policy: &allow,
            },
            Named {
                name: "guard",
                policy: &deny,
            },
        ],
        ..Policies::default()
    };
    let denied = evaluate(&request(&caller, "iam:CreateUser", "*"), &policies);
    assert_eq!(denied.verdict, Verdict::Denied);
    assert_eq!(denied.statements.len(), 1);
    let decider = &denied.statements[0];
    assert_eq!(
        (
            decider.policy.as_str(),
            decider.index,
            decider.sid.as_deref()
        ),
        ("guard", 1, Some("NoIam"))
    );
    let allowed = evaluate(&request(&caller, "s3:GetObject", "*"), &policies);
    assert_eq!(allowed.verdict, Verdict::Allowed);
    assert_eq!(allowed.statements[0].policy, "admin");
}

#[test]
fn conditions_are_kept_as_conditions() {
    let conditional = policy(json!([{
        "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    }]));
    let decision = evaluate(
        &request(&alice(), "iam:PassRole", "*"),
        &Policies {
            identity: vec![Named {
                name: "p",
                policy: &conditional,
            }],
            ..Policies::default()
        },
    );
    assert_eq!(decision.verdict, Verdict::Conditional);
    assert_eq!(decision.statements[0].applies, Tri::Maybe);
    assert!(decision.statements[0].conditions[0].contains("iam:PassedToService"));
    // A deny under a condition leaves an allow conditional, not denied.
    let allow = policy(json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]));
    let deny = policy(json!([{
        "Effect": "Deny", "Action": "s3:*", "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    }]));
    assert_eq!(
        identity(&alice(), &[&allow, &deny], "s3:GetObject", "*"),
        Verdict::Conditional
    );
    assert_eq!(
        identity(&alice(), &[&deny], "s3:GetObject", "*"),
        Verdict::Denied
    );
}

#[test]
fn policy_variables_are_unknown_not_guessed() {
    let p = policy(json!([{
        "Effect": "Allow", "Action": "iam:CreateAccessKey",
        "Resource": "arn:aws:iam::123456789012:user/${aws:username}"
    }]));
    let own = "arn:aws:iam::123456789012:user/alice";
    assert_eq!(
        identity(&alice(), &[&p], "iam:CreateAccessKey", own),
        Verdict::Conditional
    );
    let elsewhere = "arn:aws:iam::999999999999:user/alice";
    assert_eq!(
        identity(&alice(), &[&p], "iam:CreateAccessKey", elsewhere),
        Verdict::Denied
    );
}

#[test]
fn grants_on_some_resources_are_conditional_for_every_resource() {
    let p = policy(
        json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]),
    );
    assert_eq!(
        identity(&alice(), &[&p], "s3:GetObject", "*"),
        Verdict::Conditional
    );
    assert_eq!(
        identity(&alice(), &[&p], "s3:GetObject", "arn:aws:s3:::b/k"),
        Verdict::Allowed
    );
    assert_eq!(
        identity(&alice(), &[&p], "s3:GetObject", "arn:aws:s3:::c/k"),
        Verdict::Denied
    );
    let all =
        policy(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:*"}]));
    let some_denied =
        policy(json!([{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}]));
    assert_eq!(
        identity(&alice(), &[&all], "s3:GetObject", "*"),
        Verdict::Allowed
    );
    assert_eq!(
        identity(&alice(), &[&all, &some_denied], "s3:GetObject", "*"),
        Verdict::Conditional
    );
}

#[test]
fn a_permissions_boundary_intersects() {
    let admin = policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    let boundary =
        policy(json!([{"Effect": "Allow", "Action": ["s3:*", "sqs:*"], "Resource": "*"}]));
    let caller = app();
    let policies = Policies {
        identity: vec![Named {
            name: "admin",
            policy: &admin,
        }],
        boundary: Some(Named {
            name: "boundary",
            policy: &boundary,
        }),
        ..Policies::default()
    };
    let inside = evaluate(&request(&caller, "s3:GetObject", "*"), &policies);
    assert_eq!(inside.verdict, Verdict::Allowed);
    assert!(
        inside
            .statements
            .iter()
            .any(|s| s.kind == PolicyKind::PermissionsBoundary)
    );
    let outside = evaluate(&request(&caller, "iam:CreateUser", "*"), &policies);
    assert_eq!(outside.verdict, Verdict::Denied);
    assert!(
        outside.reasons[0].contains("permissions boundary"),
        "{:?}",
        outside.reasons
    );
    // A boundary grants nothing by itself.
    let alone = Policies {
        boundary: Some(Named {
            name: "boundary",
            policy: &boundary,
        }),
        ..Policies::default()
    };
    assert_eq!(
        evaluate(&request(&caller, "s3:GetObject", "*"), &alone).verdict,
        Verdict::Denied
    );
}

fn bucket_policy(principal: Value) -> Policy {
    policy(json!([{
        "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*"
    }]))
}

#[test]
fn resource_policies_naming_the_caller_allow_on_their_own() {
    const OBJECT: &str = "arn:aws:s3:::b/k";
    let to_alice = bucket_policy(json!({"AWS": "arn:aws:iam::123456789012:user/alice"}));
    let to_account = bucket_policy(json!({"AWS": ACCOUNT}));
    let to_everyone = bucket_policy(json!("*"));
    let boundary = policy(json!([{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]));
    let read = policy(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]));
    let verdict = |caller: &Caller, resource: &Policy, identity: Option<&Policy>, bounded: bool| {
        let policies = Policies {
            identity: identity
                .map(|policy| Named { name: "id", policy })
                .into_iter()
                .collect(),
            boundary: bounded.then_some(Named {
                name: "boundary",
                policy: &boundary,
            }),
            resource: Some(ResourcePolicy {
                named: Named {
                    name: "bucket",
                    policy: resource,
                },
                required: false,
            }),
            ..Policies::default()
        };
        evaluate(&request(caller, "s3:GetObject", OBJECT), &policies).verdict
    };
    // Same account: the union of identity-based and resource-based policies.
    assert_eq!(verdict(&alice(), &to_alice, None, false), Verdict::Allowed);
    assert_eq!(
        verdict(&alice(), &to_everyone, None, false),
        Verdict::Allowed
    );
    assert_eq!(verdict(&app(), &to_alice, None, false), Verdict::Denied);
    // Naming the account delegates to identity-based policies.
    assert_eq!(verdict(&alice(), &to_account, None, false), Verdict::Denied);
    assert_eq!(
        verdict(&alice(), &to_account, Some(&read), false),
        Verdict::Allowed
    );
    // A boundary does not limit a user's grant from a resource policy; it limits a role's.
    assert_eq!(verdict(&alice(), &to_alice, None, true), Verdict::Allowed);
    let to_app = bucket_policy(json!({"AWS": "arn:aws:iam::123456789012:role/app"}));
    assert_eq!(verdict(&app(), &to_app, None, false), Verdict::Allowed);
    assert_eq!(verdict(&app(), &to_app, None, true), Verdict::Denied);
}

#[test]
fn a_trust_policy_must_allow_whatever_identity_policies_say() {
    const ROLE: &str = "arn:aws:iam::123456789012:role/admin";
    let assume = policy(json!([{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]));
    let trust = |principal: Value| {
        policy(json!([{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]))
    };
    let verdict = |trust: &Policy, identity: bool| {
        let caller = alice();
        let policies = Policies {
            identity: identity
                .then_some(Named {
                    name: "id",
                    policy: &assume,
                })
                .into_iter()
                .collect(),
            resource: Some(ResourcePolicy {
                named: Named {
                    name: "trust",
                    policy: trust,
                },
                required: true,
            }),
            ..Policies::default()
        };
        evaluate(&request(&caller, "sts:AssumeRole", ROLE), &policies).verdict
    };
    let service_only = trust(json!({"Service": "ec2.amazonaws.com"}));
    assert_eq!(verdict(&service_only, true), Verdict::Denied);
    let account = trust(json!({"AWS": "arn:aws:iam::123456789012:root"}));
    assert_eq!(verdict(&account, true), Verdict::Allowed);
    assert_eq!(verdict(&account, false), Verdict::Denied);
    let named = trust(json!({"AWS": "arn:aws:iam::123456789012:user/alice"}));
    assert_eq!(verdict(&named, false), Verdict::Allowed);
    // The service the trust policy names may assume the role.
    let ec2 = Caller::service("aws", ACCOUNT, "ec2.amazonaws.com");
    let policies = Policies {
        resource: Some(ResourcePolicy {
            named: Named {
                name: "trust",
                policy: &service_only,
            },
            required: true,
        }),
        ..Policies::default()
    };
    assert_eq!(
        evaluate(&request(&ec2, "sts:AssumeRole", ROLE), &policies).verdict,
        Verdict::Allowed
    );
}

#[test]
fn not_principal_applies_to_everyone_else() {
    let deny_others = policy(json!([
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:user/alice"},
         "Action": "s3:*", "Resource": "*"}
    ]));
    let verdict = |caller: &Caller| {
        let policies = Policies {
            resource: Some(ResourcePolicy {
                named: Named {
                    name: "bucket",
                    policy: &deny_others,
                },
                required: false,
            }),
            ..Policies::default()
        };
        evaluate(
            &request(caller, "s3:GetObject", "arn:aws:s3:::b/k"),
            &policies,
        )
        .verdict
    };
    assert_eq!(verdict(&alice()), Verdict::Allowed);
    assert_eq!(verdict(&app()), Verdict::Denied);
}

#[test]
fn service_control_policies_must_allow_at_every_level() {
    let admin = policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    let full = policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    let no_iam = policy(json!([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]));
    let caller = alice();
    let policies = Policies {
        identity: vec![Named {
            name: "admin",
            policy: &admin,
        }],
        scps: vec![
            vec![Named {
                name: "FullAWSAccess",
                policy: &full,
            }],
            vec![Named {
                name: "no-iam",
                policy: &no_iam,
            }],
        ],
        ..Policies::default()
    };
    assert_eq!(
        evaluate(&request(&caller, "s3:GetObject", "*"), &policies).verdict,
        Verdict::Allowed
    );
    let iam = evaluate(&request(&caller, "iam:CreateUser", "*"), &policies);
    assert_eq!(iam.verdict, Verdict::Denied);
    assert!(
        iam.reasons.iter().any(|r| r.contains("level 2")),
        "{:?}",
        iam.reasons
    );
    // An SCP grants nothing by itself.
    let alone = Policies {
        scps: vec![vec![Named {
            name: "FullAWSAccess",
            policy: &full,
        }]],
        ..Policies::default()
    };
    assert_eq!(
        evaluate(&request(&caller, "s3:GetObject", "*"), &alone).verdict,
        Verdict::Denied
    );
}

#[test]
fn unknown_policies_may_allow() {
    let caller = alice();
    let policies = Policies {
        unknown: vec![
            Unknown {
                name: "arn:aws:iam::aws:policy/SomethingNew",
                read_only: false,
            },
            Unknown {
                name: "arn:aws:iam::aws:policy/ReadOnlyAccess",
                read_only: true,
            },
        ],
        ..Policies::default()
    };
    let decision = evaluate(&request(&caller, "s3:GetObject", "*"), &policies);
    assert_eq!(decision.verdict, Verdict::Conditional);
    assert_eq!(decision.reasons.len(), 2, "{:?}", decision.reasons);
    // A read-only policy may allow reading, never writing.
    let read_only = Policies {
        unknown: vec![Unknown {
            name: "ReadOnlyAccess",
            read_only: true,
        }],
        ..Policies::default()
    };
    assert_eq!(
        evaluate(&request(&caller, "s3:GetObject", "*"), &read_only).verdict,
        Verdict::Conditional
    );
    assert_eq!(
        evaluate(&request(&caller, "iam:PassRole", "*"), &read_only).verdict,
        Verdict::Denied
    );
}

#[test]
fn version_2008_reads_variables_as_text() {
    let old = Policy::from_value(&json!({"Version": "2008-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}"
    }]}))
    .unwrap();
    assert_eq!(
        identity(&alice(), &[&old], "s3:GetObject", "arn:aws:s3:::b/alice"),
        Verdict::Denied
    );
    assert_eq!(
        identity(
            &alice(),
            &[&old],
            "s3:GetObject",
            "arn:aws:s3:::b/${aws:username}"
        ),
        Verdict::Allowed
    );
}

#[test]
fn values_not_known_statically_are_conditional_never_guessed() {
    let unknown = json!({"$unknown": true});
    let resource =
        policy(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": unknown}]));
    assert_eq!(
        identity(&alice(), &[&resource], "s3:GetObject", "arn:aws:s3:::b/k"),
        Verdict::Conditional
    );
    assert_eq!(
        identity(&alice(), &[&resource], "s3:PutObject", "arn:aws:s3:::b/k"),
        Verdict::Denied
    );
    let action =
        policy(json!([{"Effect": "Allow", "Action": ["s3:GetObject", unknown], "Resource": "*"}]));
    assert_eq!(
        identity(&alice(), &[&action], "s3:GetObject", "*"),
        Verdict::Allowed
    );
    assert_eq!(
        identity(&alice(), &[&action], "iam:PassRole", "*"),
        Verdict::Conditional
    );
    // An unknown deny can only make an allow conditional.
    let admin = policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]));
    let deny = policy(json!([{"Effect": "Deny", "NotAction": unknown, "Resource": "*"}]));
    assert_eq!(
        identity(&alice(), &[&admin, &deny], "iam:PassRole", "*"),
        Verdict::Conditional
    );
    // A document whose statements are not known is not a policy to evaluate.
    for document in [
        json!({"$unknown": true}),
        json!({"Statement": {"$unknown": true}}),
        json!({"Statement": [{"Effect": {"$unknown": true}, "Action": "*"}]}),
    ] {
        assert!(
            Policy::from_value(&document).unwrap_err().unknown,
            "{document}"
        );
    }
    assert!(
        !Policy::from_value(&json!({"Statement": 1}))
            .unwrap_err()
            .unknown
    );
}

#[test]
fn a_caller_of_an_unknown_account_may_be_any_account_named() {
    let caller = Caller::role("aws", "", "app");
    let trust = |principal: Value| {
        policy(json!([{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]))
    };
    let verdict = |trust: &Policy| {
        let policies = Policies {
            resource: Some(ResourcePolicy {
                named: Named {
                    name: "trust",
                    policy: trust,
                },
                required: true,
            }),
            ..Policies::default()
        };
        evaluate(
            &request(&caller, "sts:AssumeRole", "arn:aws:iam::1:role/x"),
            &policies,
        )
        .verdict
    };
    assert_eq!(
        verdict(&trust(json!({"AWS": "arn:aws:iam::111122223333:role/app"}))),
        Verdict::Conditional
    );
    assert_eq!(
        verdict(&trust(json!({"AWS": "arn:aws:iam::111122223333:role/web"}))),
        Verdict::Denied
    );
    // Naming an account delegates to identity-based policies, which grant nothing here.
    assert_eq!(
        verdict(&trust(json!({"AWS": "111122223333"}))),
        Verdict::Denied
    );
}
