//! Every escalation method is found through the evaluator when a principal holds its
//! permissions (written with wildcards in the middle of names), and not found when a Deny, a
//! `NotAction` or a permissions boundary takes one of them away; a condition on one makes it
//! conditional.

use rampart_iam::escalation::{METHODS, Method, held};
use rampart_iam::{Caller, Named, Policies, Policy, Request, Resource, Tri, evaluate};
use serde_json::{Value, json};

fn policy(statements: Value) -> Policy {
    Policy::from_value(&json!({"Version": "2012-10-17", "Statement": statements})).unwrap()
}

/// How surely the caller under `policies` holds `method`; `No` when it does not.
fn holds(method: &Method, identity: &[Policy], boundary: Option<&Policy>) -> Tri {
    let caller = Caller::role("aws", "123456789012", "dev");
    let policies = Policies {
        identity: identity
            .iter()
            .map(|policy| Named { name: "p", policy })
            .collect(),
        boundary: boundary.map(|policy| Named { name: "b", policy }),
        ..Policies::default()
    };
    let decide = |action: &str| {
        evaluate(
            &Request {
                caller: &caller,
                action,
                resource: Resource::Every,
            },
            &policies,
        )
    };
    held(decide)
        .into_iter()
        .find(|h| h.method.id == method.id)
        .map_or(Tri::No, |h| h.tri)
}

/// `iam:PassRole` as `iam:Pa*ole`: a wildcard in the middle of the name.
fn with_wildcard(permission: &str) -> String {
    let (service, action) = permission.split_once(':').unwrap();
    let keep = action.len().min(2);
    format!(
        "{service}:{}*{}",
        &action[..keep],
        &action[action.len() - 3..]
    )
}

#[test]
fn every_method_fires_on_its_permissions_and_not_without_one() {
    let mut failures = Vec::new();
    for method in METHODS {
        let wildcards: Vec<String> = method
            .permissions
            .iter()
            .map(|p| with_wildcard(p))
            .collect();
        let grant = policy(json!([{"Effect": "Allow", "Action": wildcards, "Resource": "*"}]));
        let last = *method.permissions.last().unwrap();
        let denied = policy(json!([{"Effect": "Deny", "Action": last, "Resource": "*"}]));
        let everything_else =
            policy(json!([{"Effect": "Allow", "NotAction": last, "Resource": "*"}]));
        let fewer: Vec<&str> = method.permissions[..method.permissions.len() - 1].to_vec();
        let boundary = policy(json!([{"Effect": "Allow", "NotAction": last, "Resource": "*"}]));
        let mut statements = vec![json!({
            "Effect": "Allow", "Action": last, "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
        })];
        if !fewer.is_empty() {
            statements.push(json!({"Effect": "Allow", "Action": fewer.clone(), "Resource": "*"}));
        }
        let conditional = policy(json!(statements));
        let cases: Vec<(&str, Tri, Vec<Policy>, Option<&Policy>)> = vec![
            ("wildcards", Tri::Yes, vec![grant.clone()], None),
            (
                "admin",
                Tri::Yes,
                vec![policy(
                    json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
                )],
                None,
            ),
            ("deny", Tri::No, vec![grant.clone(), denied], None),
            ("NotAction", Tri::No, vec![everything_else], None),
            ("boundary", Tri::No, vec![grant.clone()], Some(&boundary)),
            ("condition", Tri::Maybe, vec![conditional], None),
        ];
        for (case, expected, identity, boundary) in cases {
            let got = holds(method, &identity, boundary);
            if got != expected {
                failures.push(format!(
                    "{} {case}: {got:?}, expected {expected:?}",
                    method.id
                ));
            }
        }
        if !fewer.is_empty() {
            let partial = policy(json!([{"Effect": "Allow", "Action": fewer, "Resource": "*"}]));
            if holds(method, &[partial], None) != Tri::No {
                failures.push(format!("{} fires without {last}", method.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_grant_on_some_resources_only_is_conditional() {
    let method = METHODS.iter().find(|m| m.id == "ec2-001").unwrap();
    let scoped = policy(json!([
        {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/web"}
    ]));
    assert_eq!(holds(method, &[scoped], None), Tri::Maybe);
}
