//! `rampart db status|import --format json` against `docs/json-db.md`.

use crate::page::Page;
use crate::{output, versioned_answer};

#[test]
fn db_answers_are_as_documented() {
    let page = Page::read("json-db.md");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();

    let missing = versioned_answer(&["db", "status", "--db", db, "--format", "json"], 1);
    page.check("status", &missing);
    assert_eq!(missing["exists"], false);

    // The records of the test data, one of them broken: exit 1, the others imported.
    let args = [
        "db",
        "import",
        "--db",
        db,
        "--format",
        "json",
        "crates/rampart/tests/data/osv",
    ];
    let imported: serde_json::Value = serde_json::from_str(&output(&args)).unwrap();
    page.check("import", &imported);
    assert_eq!(imported["records"], 2);
    assert_eq!(imported["errors"].as_array().unwrap().len(), 1);

    let status = versioned_answer(&["db", "status", "--db", db, "--format", "json"], 1);
    page.check("status", &status);
    assert_eq!(status["exists"], true);
    assert_eq!(status["stale"], false);
    assert_eq!(status["packages"], 2);
    page.assert_all_seen();
}
