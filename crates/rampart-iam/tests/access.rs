//! What a holder may do: full administrator, IAM writes and escalation methods, on policies
//! written here and on the AWS managed policies of the table.

use rampart_iam::access::Access;
use rampart_iam::managed::{Managed, aws_managed};
use rampart_iam::{Caller, Named, Policies, Policy, Verdict};
use serde_json::{Value, json};

fn policy(statements: Value) -> Policy {
    Policy::from_value(&json!({"Version": "2012-10-17", "Statement": statements})).unwrap()
}

fn managed(name: &str) -> &'static Policy {
    match aws_managed(&format!("arn:aws:iam::aws:policy/{name}")) {
        Some(Managed::Document(policy)) => policy,
        _ => panic!("{name} is not in the table"),
    }
}

fn with<T>(policies: &[&Policy], f: impl FnOnce(Access<'_, '_>) -> T) -> T {
    let caller = Caller::role("aws", "123456789012", "holder");
    let policies = Policies {
        identity: policies
            .iter()
            .map(|policy| Named { name: "p", policy })
            .collect(),
        ..Policies::default()
    };
    f(Access {
        caller: &caller,
        policies: &policies,
    })
}

#[test]
fn full_administrators_are_allowed_everything() {
    let admin = managed("AdministratorAccess");
    let verdict = with(&[admin], |a| a.full_admin().map(|d| d.verdict));
    assert_eq!(verdict, Some(Verdict::Allowed));
    let star_star = policy(json!([{"Effect": "Allow", "Action": "*:*", "Resource": "arn:aws:*"}]));
    assert_eq!(
        with(&[&star_star], |a| a.full_admin().map(|d| d.verdict)),
        Some(Verdict::Allowed)
    );
    // Everything but one service, one denied action, or some resources: not every action.
    let all_but_s3 = policy(json!([{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]));
    assert!(with(&[&all_but_s3], |a| a.full_admin()).is_none());
    let deny = policy(json!([{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}]));
    assert!(with(&[admin, &deny], |a| a.full_admin()).is_none());
    let some = policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}]));
    assert!(with(&[&some], |a| a.full_admin()).is_none());
    let mfa = policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]));
    assert_eq!(
        with(&[&mfa], |a| a.full_admin().map(|d| d.verdict)),
        Some(Verdict::Conditional)
    );
    let not_on_one =
        policy(json!([{"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::b"}]));
    assert_eq!(
        with(&[admin, &not_on_one], |a| a.full_admin().map(|d| d.verdict)),
        Some(Verdict::Conditional)
    );
    assert!(with(&[managed("PowerUserAccess")], |a| a.full_admin()).is_none());
}

#[test]
fn iam_writes_follow_the_access_levels() {
    let writes = with(&[managed("PowerUserAccess")], |a| {
        a.iam_writes()
            .into_iter()
            .map(|(action, _)| action.name.clone())
            .collect::<Vec<_>>()
    });
    assert_eq!(
        writes,
        ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole"]
    );
    assert!(with(&[managed("IAMReadOnlyAccess")], |a| a.iam_writes()).is_empty());
    let full = with(&[managed("IAMFullAccess")], |a| a.iam_writes().len());
    assert!(full > 60, "{full}");
}

#[test]
fn escalations_through_managed_policies() {
    let ids = |policies: &[&Policy]| {
        with(policies, |a| {
            a.escalations()
                .iter()
                .map(|h| h.method.id)
                .collect::<Vec<_>>()
        })
    };
    let iam_full = ids(&[managed("IAMFullAccess")]);
    for id in ["iam-001", "iam-002", "iam-008", "iam-012", "iam-013"] {
        assert!(iam_full.contains(&id), "{id} in {iam_full:?}");
    }
    // Redundant combinations are not listed twice: iam-002 covers iam-003.
    assert!(!iam_full.contains(&"iam-003"));
    // PowerUserAccess cannot pass roles, but takes over running compute.
    let power = ids(&[managed("PowerUserAccess")]);
    assert!(
        !power.contains(&"ec2-001") && power.contains(&"lambda-003"),
        "{power:?}"
    );
    assert!(ids(&[managed("AmazonS3ReadOnlyAccess")]).is_empty());
}
