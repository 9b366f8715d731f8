//! `rampart netpol … --format json` against `docs/json-netpol.md`.

use crate::page::Page;
use crate::{output, versioned_answer};

const SHOP: &str = "examples/shop";
const ADMIN: &str = "crates/rampart/tests/data/contracts/netpol";

#[test]
fn netpol_answers_are_as_documented() {
    let page = Page::read("json-netpol.md");
    let reach = |args: &[&str]| {
        let mut all = vec!["netpol", "reach"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        page.check("reach", &versioned_answer(&all, 1));
    };
    reach(&[
        "--from",
        "shop/checkout",
        "--to",
        "shop/payments",
        "--port",
        "8443",
        SHOP,
    ]);
    reach(&[
        "--from",
        "ingress-controller",
        "--to",
        "shop/storefront",
        SHOP,
    ]);
    reach(&["--from", "shop/storefront", "--to", "10.1.2.3", SHOP]);
    reach(&["--from", "ops/monitor", "--to", "web/db", ADMIN]);

    // netpol-analyzer's format: an array, without schema_version.
    let connlist = output(&["netpol", "connlist", "--format", "json", SHOP]);
    let rows: serde_json::Value = serde_json::from_str(&connlist).unwrap();
    assert!(rows.as_array().is_some_and(|rows| !rows.is_empty()));
    for row in rows.as_array().unwrap() {
        page.check("connection", row);
    }
    page.assert_all_seen();
}
