//! `rampart iam can-i` on a Terraform configuration: verdicts, exit codes and the statements
//! that decide, in both formats.

use assert_cmd::Command;
use serde_json::Value;

const DATA: &str = "tests/data/iam";

fn run(args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["iam", "can-i"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json", DATA]);
    let (code, text) = run(&all);
    (
        code,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
    )
}

/// `policy#index` of each deciding statement.
fn deciding(answer: &Value) -> Vec<String> {
    answer["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{}#{}", s["policy"].as_str().unwrap(), s["index"]))
        .collect()
}

#[test]
fn a_boundary_takes_away_what_the_role_policy_allows() {
    let (code, answer) = json(&["--as", "role/deploy", "s3:GetObject"]);
    assert_eq!((code, answer["verdict"].as_str()), (0, Some("allowed")));
    assert_eq!(
        deciding(&answer),
        ["aws_iam_role_policy.deploy#0", "aws_iam_policy.boundary#0"]
    );
    let (code, answer) = json(&["--as", "aws_iam_role.deploy", "iam:PassRole"]);
    assert_eq!((code, answer["verdict"].as_str()), (1, Some("denied")));
    assert!(
        answer["reasons"][0]
            .as_str()
            .unwrap()
            .contains("permissions boundary")
    );
}

#[test]
fn a_deny_under_a_condition_makes_the_answer_conditional() {
    let (code, answer) = json(&["--as", "role/deploy", "ec2:RunInstances"]);
    assert_eq!((code, answer["verdict"].as_str()), (1, Some("conditional")));
    let deny = answer["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["effect"] == "Deny")
        .unwrap();
    assert_eq!(deny["sid"], "OnlyFromEurope");
    assert_eq!(deny["applies"], "maybe");
}

#[test]
fn users_are_evaluated_with_their_groups_and_their_own_denies() {
    let (code, answer) = json(&["--as", "user/alice", "iam:CreateRole"]);
    assert_eq!((code, answer["verdict"].as_str()), (0, Some("allowed")));
    assert_eq!(
        deciding(&answer),
        ["arn:aws:iam::aws:policy/IAMFullAccess#0"]
    );
    // Found by its name with its path too.
    let (code, answer) = json(&["--as", "user/ops/alice", "iam:CreateUser"]);
    assert_eq!((code, answer["verdict"].as_str()), (1, Some("denied")));
    assert_eq!(answer["statements"][0]["sid"], "NoNewUsers");
    assert!(answer["statements"][0]["line"].as_u64().unwrap() > 1);
}

#[test]
fn a_key_policy_must_name_the_caller() {
    let (code, answer) = json(&["--as", "role/deploy", "kms:Decrypt", "aws_kms_key.app"]);
    assert_eq!(
        (code, answer["verdict"].as_str()),
        (0, Some("allowed")),
        "{answer}"
    );
    let (code, answer) = json(&["--as", "user/alice", "kms:Decrypt", "aws_kms_key.app"]);
    assert_eq!(
        (code, answer["verdict"].as_str()),
        (1, Some("denied")),
        "{answer}"
    );
}

#[test]
fn questions_that_cannot_be_read_exit_2() {
    for args in [
        ["--as", "role/nobody", "s3:GetObject", DATA],
        ["--as", "role/deploy", "s3:Get*", DATA],
        ["--as", "role/deploy", "GetObject", DATA],
    ] {
        let (code, text) = run(&args);
        assert_eq!(code, 2, "{args:?}: {text}");
    }
    let (code, text) = run(&[
        "--as",
        "role/deploy",
        "s3:GetObject",
        "aws_s3_bucket.nothing",
        DATA,
    ]);
    assert_eq!(code, 2, "{text}");
}

#[test]
fn the_table_says_yes_no_or_under_a_condition() {
    let (code, text) = run(&["--as", "role/deploy", "s3:GetObject", DATA]);
    assert_eq!(code, 0);
    assert!(text.starts_with("yes\n"), "{text}");
    assert!(
        text.contains("allowed by aws_iam_role_policy.deploy statement 0 \"Everything\""),
        "{text}"
    );
    let (_, text) = run(&["--as", "role/deploy", "ec2:RunInstances", DATA]);
    assert!(text.starts_with("only under a condition\n"), "{text}");
}
