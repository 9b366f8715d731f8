//! `rampart rbac … --format json` against `docs/json-rbac.md`.

use crate::page::Page;
use crate::versioned_answer;

const SHOP: &str = "examples/shop";
const BROKEN: &str = "crates/rampart/tests/data/contracts/rbac";

#[test]
fn rbac_answers_are_as_documented() {
    let page = Page::read("json-rbac.md");
    let answer = |anchor: &str, args: &[&str]| {
        let mut all = vec!["rbac", anchor];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        page.check(anchor, &versioned_answer(&all, 1));
    };
    // Aggregated rules, resourceNames, non-resource URLs, system:masters, notes.
    for args in [
        [
            "--as",
            "system:serviceaccount:shop:reporting",
            "get",
            "secrets",
            "-n",
            "payments",
            SHOP,
        ]
        .as_slice(),
        &[
            "--as",
            "user:ann",
            "--as-group",
            "system:masters",
            "get",
            "nodes",
            "-n",
            "shop",
            SHOP,
        ],
        &["--as", "user:system:anonymous", "get", "/healthz", SHOP],
        &["--as", "user:ann", "get", "pods", BROKEN],
    ] {
        answer("can-i", args);
    }
    answer(
        "who-can",
        &[
            "get",
            "secrets",
            "--name",
            "payments-api",
            "-n",
            "shop",
            SHOP,
        ],
    );
    answer("who-can", &["get", "pods", BROKEN]);
    answer("permissions", &["system:serviceaccount:shop:default", SHOP]);
    answer("permissions", &["group:support", BROKEN]);
    for target in ["cluster-admin", "secrets", "nodes"] {
        answer("escalations", &["--target", target, SHOP]);
    }
    page.assert_all_seen();
}
