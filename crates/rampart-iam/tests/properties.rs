//! Properties of wildcard matching (against a plain backtracking matcher written from the
//! rules) and of the evaluation algebra (a Deny never widens an answer, an Allow never
//! narrows one, a boundary never widens).

use proptest::prelude::*;
use rampart_iam::pattern::{ResourcePattern, action_matches};
use rampart_iam::{Caller, Named, Policies, Policy, Request, Resource, Tri, evaluate};
use serde_json::json;

/// Backtracking: `*` runs over anything but a colon, unless it ends a segment (the stars
/// before a colon or the end); `?` is one character, not a colon, in ARNs.
fn oracle(pattern: &[char], text: &[char], arn: bool) -> bool {
    match pattern.first() {
        None => text.is_empty(),
        Some('*') => {
            let rest = &pattern[1..];
            let trailing = !arn || rest.iter().find(|c| **c != '*').is_none_or(|c| *c == ':');
            (0..=text.len())
                .take_while(|&n| trailing || n == 0 || text[n - 1] != ':')
                .any(|n| oracle(rest, &text[n..], arn))
        }
        Some('?') => {
            !text.is_empty() && (!arn || text[0] != ':') && oracle(&pattern[1..], &text[1..], arn)
        }
        Some(c) => text.first() == Some(c) && oracle(&pattern[1..], &text[1..], arn),
    }
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

proptest! {
    #[test]
    fn action_matching_is_case_insensitive_globbing(
        pattern in "[ab:*?]{0,8}",
        action in "[abAB:]{0,8}",
    ) {
        let expected = oracle(&chars(&pattern), &chars(&action.to_ascii_lowercase()), false);
        prop_assert_eq!(action_matches(&pattern, &action), expected);
        prop_assert_eq!(action_matches(&pattern.to_ascii_uppercase(), &action), expected);
    }

    #[test]
    fn resource_matching_keeps_wildcards_in_segments(
        pattern in "[aB:/*?]{0,9}",
        arn in "[aB:/]{0,9}",
    ) {
        let expected = oracle(&chars(&pattern), &chars(&arn), true);
        let got = ResourcePattern::new(&pattern, true).matches(&arn);
        prop_assert_eq!(got, Tri::from_bool(expected));
    }

    #[test]
    fn a_pattern_matches_itself_without_wildcards(text in "[a-z:/]{0,12}") {
        prop_assert_eq!(ResourcePattern::new(&text, true).matches(&text), Tri::Yes);
        prop_assert!(action_matches(&text, &text.to_uppercase()));
    }

    #[test]
    fn a_pattern_that_covers_all_matches_any_arn(arn in "arn:aws:[a-z]{1,3}:[a-z0-9-]{0,4}:[0-9]{0,3}:[a-z/:]{0,8}") {
        for pattern in ["*", "arn:*", "arn:aws:*", "arn:aws:*:*:*:*"] {
            let pattern = ResourcePattern::new(pattern, true);
            prop_assert!(pattern.covers_all("aws"));
            prop_assert_eq!(pattern.matches(&arn), Tri::Yes);
        }
    }
}

fn statement() -> impl Strategy<Value = serde_json::Value> {
    let action = prop::sample::select(vec![
        "*",
        "s3:*",
        "s3:GetObject",
        "iam:*",
        "iam:Pass*",
        "iam:PassRole",
        "ec2:Run?nstances",
    ]);
    let resource = prop::sample::select(vec![
        "*",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/k",
        "arn:aws:iam::1:role/*",
        "arn:aws:iam::1:user/${aws:username}",
    ]);
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(action, 1..3),
        prop::collection::vec(resource, 1..3),
    )
        .prop_map(
            |(allow, not_action, not_resource, condition, actions, resources)| {
                let mut statement = json!({"Effect": if allow { "Allow" } else { "Deny" }});
                statement[if not_action { "NotAction" } else { "Action" }] = json!(actions);
                statement[if not_resource {
                    "NotResource"
                } else {
                    "Resource"
                }] = json!(resources);
                if condition {
                    statement["Condition"] =
                        json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}});
                }
                statement
            },
        )
}

fn policy(statements: &[serde_json::Value]) -> Policy {
    Policy::from_value(&json!({"Version": "2012-10-17", "Statement": statements})).unwrap()
}

const REQUESTS: [(&str, &str); 5] = [
    ("s3:GetObject", "arn:aws:s3:::b/k"),
    ("s3:GetObject", "*"),
    ("iam:PassRole", "arn:aws:iam::1:role/admin"),
    ("ec2:RunInstances", "*"),
    ("iam:CreateAccessKey", "arn:aws:iam::1:user/alice"),
];

fn verdicts(identity: &[&Policy], boundary: Option<&Policy>) -> Vec<Tri> {
    let caller = Caller::user("aws", "1", "alice");
    let policies = Policies {
        identity: identity
            .iter()
            .map(|policy| Named { name: "p", policy })
            .collect(),
        boundary: boundary.map(|policy| Named { name: "b", policy }),
        ..Policies::default()
    };
    REQUESTS
        .iter()
        .map(|(action, resource)| {
            let resource = match *resource {
                "*" => Resource::Every,
                arn => Resource::Arn(arn),
            };
            evaluate(
                &Request {
                    caller: &caller,
                    action,
                    resource,
                },
                &policies,
            )
            .tri()
        })
        .collect()
}

proptest! {
    #[test]
    fn adding_a_deny_never_widens_and_an_allow_never_narrows(
        base in prop::collection::vec(statement(), 0..4),
        extra in statement(),
        boundary in prop::option::of(prop::collection::vec(statement(), 1..3)),
    ) {
        let boundary = boundary.map(|b| policy(&b));
        let before = verdicts(&[&policy(&base)], boundary.as_ref());
        let after = verdicts(&[&policy(&base), &policy(std::slice::from_ref(&extra))], boundary.as_ref());
        for (b, a) in before.iter().zip(&after) {
            if extra["Effect"] == "Deny" {
                prop_assert!(a <= b, "a deny widened {b:?} to {a:?}");
            } else {
                prop_assert!(a >= b, "an allow narrowed {b:?} to {a:?}");
            }
        }
        // A boundary only ever narrows.
        let unbounded = verdicts(&[&policy(&base)], None);
        for (bounded, free) in before.iter().zip(&unbounded) {
            prop_assert!(bounded <= free);
        }
    }

    #[test]
    fn statement_order_does_not_matter(statements in prop::collection::vec(statement(), 0..5)) {
        let mut reversed = statements.clone();
        reversed.reverse();
        prop_assert_eq!(verdicts(&[&policy(&statements)], None), verdicts(&[&policy(&reversed)], None));
    }
}

proptest! {
    /// A value AWS assigns matches when some value of it does, surely when every value does.
    #[test]
    fn assigned_parts_are_matched_for_some_or_every_value(
        pattern in "[aB:/*?]{0,8}",
        before in "[aB:/]{0,4}",
        after in "[aB:/]{0,4}",
    ) {
        use rampart_iam::pattern::ASSIGNED;
        let pattern_read = ResourcePattern::new(&pattern, true);
        let got = pattern_read.matches(&format!("{before}{ASSIGNED}{after}"));
        // Assigned values are never empty.
        let values = ["a", "B", "aB", "/", "a/B", "BBa", "Zq9-_/x0"];
        let matching = values
            .iter()
            .filter(|v| oracle(&chars(&pattern), &chars(&format!("{before}{v}{after}")), true))
            .count();
        if matching > 0 {
            prop_assert!(got >= Tri::Maybe, "{pattern} {before}|{after}: {got:?}");
        }
        if got == Tri::Yes {
            prop_assert_eq!(matching, values.len(), "{} {}|{}", pattern, before, after);
        }
    }
}
