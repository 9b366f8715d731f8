//! `rampart db` and `rampart scan --db`: advisories imported by the command line, then the
//! packages of a lockfile matched, each finding with its vulnerability object.

use assert_cmd::Command;
use serde_json::Value;

fn rampart(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../rampart-rules"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn a_scan_with_a_database_reports_vulnerable_packages_with_their_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let (code, _, stderr) = rampart(&["db", "import", "--db", db, "fixtures/V101/advisories"]);
    assert_eq!(code, 0, "{stderr}");

    let (code, stdout, stderr) = rampart(&[
        "scan",
        "--db",
        db,
        "--select",
        "V",
        "--format",
        "json",
        "fixtures/V101/trigger",
    ]);
    assert_eq!(code, 1, "critical findings fail the scan: {stderr}");
    assert!(
        stderr.is_empty(),
        "a fresh database warns of nothing: {stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 4);
    let flask = &findings[0]["vulnerability"];
    assert_eq!(flask["id"], "FIXTURE-2026-1");
    assert_eq!(
        flask["aliases"],
        serde_json::json!(["CVE-2026-10001", "GHSA-fx01-fx01-fx01"])
    );
    assert_eq!(flask["package"]["purl"], "pkg:pypi/flask@2.2.4");
    assert_eq!(flask["package"]["ecosystem"], "PyPI");
    assert_eq!(flask["fixed"], serde_json::json!(["2.2.5"]));
    assert_eq!(flask["upgrade"], "2.2.5");
    assert_eq!(flask["severity"]["score"], 5.9);
    assert_eq!(findings[0]["severity"], "medium");
    assert_eq!(findings[0]["subject"]["platform"], "package");
    let smuggling = &findings[1]["vulnerability"];
    assert_eq!(smuggling["severity"]["cvss"], "4.0");
    assert_eq!(smuggling["severity"]["score"], 9.3);
    assert!(smuggling.get("upgrade").is_none(), "{smuggling}");

    // The upgrades leave nothing.
    let (code, stdout, _) = rampart(&[
        "scan",
        "--db",
        db,
        "--select",
        "V",
        "--format",
        "json",
        "fixtures/V101/pass",
    ]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert!(report["findings"].as_array().unwrap().is_empty());
}

#[test]
fn without_a_database_the_scan_says_so_and_never_downloads() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none");
    let (code, _, stderr) = rampart(&[
        "scan",
        "--db",
        missing.to_str().unwrap(),
        "--select",
        "V",
        "fixtures/V101/trigger",
    ]);
    assert_eq!(code, 0);
    assert!(stderr.contains("no vulnerability database in"), "{stderr}");
    assert!(!missing.exists(), "nothing is created or fetched");
}

/// The demo shop against the real advisories of `../shared/osv`: checkout's pinned
/// dependencies are behind on fixes, catalog's (the hardened reference) are not.
#[test]
fn the_demo_shop_has_real_vulnerabilities_with_fixes() {
    let Some(osv) = rampart_test_support::shared("osv") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let pypa = osv.join("pypa/vulns");
    let go = osv.join("go/osv");
    let (code, _, stderr) = rampart(&[
        "db",
        "import",
        "--db",
        db,
        pypa.to_str().unwrap(),
        go.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, stderr) = rampart(&[
        "scan",
        "--db",
        db,
        "--select",
        "V",
        "--format",
        "json",
        "../../examples/shop",
    ]);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let v = &f["vulnerability"];
            (
                v["package"]["name"].as_str().unwrap().to_owned(),
                v["id"].as_str().unwrap().to_owned(),
                v["upgrade"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    for (name, id, upgrade) in [
        ("flask", "PYSEC-2023-62", "2.2.5"),
        ("requests", "PYSEC-2023-74", "2.31.0"),
        ("werkzeug", "PYSEC-2023-221", "2.3.8"),
    ] {
        assert!(
            found.contains(&(name.to_owned(), id.to_owned(), upgrade.to_owned())),
            "{name} {id} {upgrade} in {found:?}"
        );
    }
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["location"]["path"]
                .as_str()
                .unwrap()
                .contains("checkout/requirements.txt")),
        "catalog's modules are up to date"
    );
}
