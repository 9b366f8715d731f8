//! An account's principals gather every policy AWS evaluates for them: inline, attached
//! (declared, AWS managed, unknown), their groups', their boundary; found by IAM name or by
//! the configuration's address.

use rampart_iam::account::{
    Account, Attached, Attachment, CustomerPolicy, Document, Origin, Principal, PrincipalKind,
};
use rampart_iam::{Policy, Request, Resource, Verdict, evaluate};
use serde_json::json;

fn document(name: &str, statements: serde_json::Value) -> Document {
    Document {
        name: name.to_owned(),
        origin: Origin { resource: 0 },
        pointer: "/policy".to_owned(),
        policy: Policy::from_value(&json!({"Version": "2012-10-17", "Statement": statements})),
    }
}

fn attach(policy: Attached) -> Attachment {
    Attachment {
        policy,
        origin: Origin { resource: 0 },
        pointer: "/policy_arn".to_owned(),
    }
}

fn principal(kind: PrincipalKind, name: &str, address: &str) -> Principal {
    Principal {
        kind,
        name: Some(name.to_owned()),
        path: "/".to_owned(),
        address: address.to_owned(),
        origin: Origin { resource: 0 },
        inline: Vec::new(),
        attached: Vec::new(),
        boundary: None,
        trust: None,
        groups: Vec::new(),
    }
}

fn account() -> Account {
    let mut ops = principal(PrincipalKind::Group, "ops", "aws_iam_group.ops");
    ops.attached.push(attach(Attached::Arn(
        "arn:aws:iam::aws:policy/IAMFullAccess".into(),
    )));
    let mut alice = principal(PrincipalKind::User, "alice", "aws_iam_user.alice");
    alice.groups.push(0);
    alice.inline.push(document(
        "aws_iam_user_policy.alice",
        json!([{"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]),
    ));
    let mut app = principal(PrincipalKind::Role, "app", "aws_iam_role.app");
    app.path = "/svc/".to_owned();
    app.attached.push(attach(Attached::Declared(0)));
    app.attached.push(attach(Attached::Arn(
        "arn:aws:iam::aws:policy/NotInTheTable".into(),
    )));
    app.boundary = Some(attach(Attached::Arn(
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess".into(),
    )));
    Account {
        id: "123456789012".to_owned(),
        partition: "aws".to_owned(),
        principals: vec![ops, alice, app],
        managed: vec![CustomerPolicy {
            arn: Some("arn:aws:iam::123456789012:policy/s3".to_owned()),
            document: document(
                "aws_iam_policy.s3",
                json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]),
            ),
        }],
        resource_policies: Vec::new(),
    }
}

fn verdict(account: &Account, who: &str, action: &str) -> Verdict {
    let principal = account.find(who).unwrap();
    let caller = account.caller(principal);
    let policies = account.policies(principal);
    evaluate(
        &Request {
            caller: &caller,
            action,
            resource: Resource::Every,
        },
        &policies,
    )
    .verdict
}

#[test]
fn users_get_their_groups_policies_and_their_own_denies() {
    let account = account();
    assert_eq!(
        verdict(&account, "user/alice", "iam:CreateRole"),
        Verdict::Allowed
    );
    assert_eq!(
        verdict(&account, "user/alice", "iam:CreateUser"),
        Verdict::Denied
    );
    assert_eq!(
        verdict(&account, "aws_iam_user.alice", "s3:GetObject"),
        Verdict::Denied
    );
}

#[test]
fn roles_are_bounded_and_unknown_policies_may_allow() {
    let account = account();
    // Allowed by the declared policy, inside the boundary.
    assert_eq!(
        verdict(&account, "role/app", "s3:GetObject"),
        Verdict::Allowed
    );
    // Allowed by the declared policy, outside the boundary.
    assert_eq!(
        verdict(&account, "role/app", "s3:PutObject"),
        Verdict::Denied
    );
    // Found by its name with its path too; the unknown policy may allow what the boundary does.
    assert_eq!(
        verdict(&account, "role/svc/app", "s3:GetObject"),
        Verdict::Allowed
    );
    assert!(account.find("role/alice").is_none());
    assert_eq!(
        account.caller(account.find("role/app").unwrap()).arn,
        "arn:aws:iam::123456789012:role/svc/app"
    );
    assert!(account.is_attached(0));
}
