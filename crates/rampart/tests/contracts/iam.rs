//! `rampart iam can-i --format json` against `docs/json-iam.md`.

use crate::page::Page;
use crate::versioned_answer;

const DATA: &str = "crates/rampart/tests/data/iam";

#[test]
fn iam_answers_are_as_documented() {
    let page = Page::read("json-iam.md");
    for args in [
        ["--as", "role/deploy", "ec2:RunInstances", DATA].as_slice(),
        &["--as", "user/alice", "iam:CreateUser", DATA],
        &[
            "--as",
            "role/deploy",
            "kms:Decrypt",
            "aws_kms_key.app",
            DATA,
        ],
        &[
            "--as",
            "role/deploy",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            DATA,
        ],
    ] {
        let mut all = vec!["iam", "can-i"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let answer = versioned_answer(&all, 1);
        page.check("can-i", &answer);
    }
    page.assert_all_seen();
}
