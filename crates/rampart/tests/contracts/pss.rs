//! `rampart pss --format json` against `docs/json-pss.md`.

use crate::page::Page;
use crate::versioned_answer;

#[test]
fn pss_verdicts_are_as_documented() {
    let page = Page::read("json-pss.md");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "kind: [\n").unwrap();
    for (level, path) in [
        ("baseline", "examples/shop"),
        ("restricted", "examples/shop"),
        ("baseline", dir.path().to_str().unwrap()),
    ] {
        let args = ["pss", "--level", level, "--format", "json", path];
        page.check("top-level", &versioned_answer(&args, 1));
    }
    page.assert_all_seen();
}
