//! `rampart rules --format json` against `docs/json-rules.md`.

use crate::page::Page;
use crate::versioned_answer;

#[test]
fn rule_catalogue_is_as_documented() {
    let page = Page::read("json-rules.md");
    let catalogue = versioned_answer(&["rules", "--format", "json"], 1);
    assert!(
        catalogue["rules"]
            .as_array()
            .is_some_and(|rules| rules.len() >= 2)
    );
    page.check("top-level", &catalogue);
    page.assert_all_seen();
}
