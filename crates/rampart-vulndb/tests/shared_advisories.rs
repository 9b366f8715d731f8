//! The real advisories of `../shared/osv` (PyPA's and Go's) imported into a database and
//! matched: named records only, since the snapshot may be refreshed.

use std::sync::OnceLock;

use rampart_vulndb::{ArchiveLimits, Database, Input, Query};

/// One database of both sets, built once for the tests of this file; `None` without
/// `../shared/osv`, each test saying that it skipped.
fn database() -> Option<&'static Database> {
    static DB: OnceLock<(tempfile::TempDir, Database)> = OnceLock::new();
    let osv = rampart_test_support::shared("osv")?;
    let (_, db) = DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let pypa = osv.join("pypa/vulns");
        let go = osv.join("go/osv");
        let report = rampart_vulndb::import(
            dir.path(),
            vec![Input::Path(&pypa), Input::Path(&go)],
            &ArchiveLimits::default(),
        )
        .unwrap();
        assert!(
            report.errors.is_empty(),
            "{:?}",
            &report.errors[..3.min(report.errors.len())]
        );
        assert!(report.records > 6000, "{report:?}");
        let db = Database::open(dir.path()).unwrap();
        (dir, db)
    });
    Some(db)
}

fn query<'a>(ecosystem: &'a str, name: &'a str, version: &'a str) -> Query<'a> {
    Query {
        ecosystem,
        name,
        version,
        source: None,
    }
}

#[test]
fn requests_before_2_31_leaks_proxy_credentials() {
    let Some(db) = database() else { return };
    let report = db.check(&query("PyPI", "requests", "2.30.0")).unwrap();
    let leak = report
        .vulnerabilities
        .iter()
        .find(|v| v.id == "PYSEC-2023-74")
        .expect("PYSEC-2023-74 affects requests 2.30.0");
    assert_eq!(leak.fixed, ["2.31.0"]);
    assert!(leak.summary.starts_with("Requests is a HTTP library."));
    // 2.31.0 fixes it; the name is matched as PEP 503 normalises it.
    let fixed = db.check(&query("PyPI", "Requests", "2.31.0")).unwrap();
    assert!(
        fixed
            .vulnerabilities
            .iter()
            .all(|v| v.id != "PYSEC-2023-74")
    );
    // The smallest upgrade fixes every advisory of requests that affects 2.30.0.
    let upgrade = report.upgrade.expect("an upgrade fixes them all");
    let after = db.check(&query("PyPI", "requests", &upgrade)).unwrap();
    assert!(
        after.vulnerabilities.is_empty(),
        "{upgrade} still has {:?}",
        after.vulnerabilities
    );
}

#[test]
fn a_record_without_fix_covers_every_version_and_lists_none() {
    let Some(db) = database() else { return };
    // PYSEC-2023-121 (zstd): introduced 0, never fixed.
    let report = db.check(&query("PyPI", "zstd", "1.5.5.1")).unwrap();
    let v = report
        .vulnerabilities
        .iter()
        .find(|v| v.id == "PYSEC-2023-121")
        .unwrap();
    assert_eq!(v.aliases, ["CVE-2022-4899"]);
    assert!(v.fixed.is_empty());
    assert_eq!(report.upgrade, None);
}

#[test]
fn withdrawn_advisories_match_nothing() {
    let Some(db) = database() else { return };
    // PYSEC-2023-73 (redis) was withdrawn; GO-2026-6166 (github.com/lib/pq) too.
    let redis = db.check(&query("PyPI", "redis", "2.10.0")).unwrap();
    assert!(
        redis
            .vulnerabilities
            .iter()
            .all(|v| v.id != "PYSEC-2023-73")
    );
    let pq = db
        .check(&query("Go", "github.com/lib/pq", "1.10.9"))
        .unwrap();
    assert!(pq.vulnerabilities.iter().all(|v| v.id != "GO-2026-6166"));
}

#[test]
fn go_ranges_with_several_intervals_and_prereleases() {
    let Some(db) = database() else { return };
    // GO-2023-1987 (crypto/tls): fixed in 1.19.12, 1.20.7 and 1.21.0-rc.4.
    let cases = [
        ("1.19.11", true, Some("1.19.12")),
        ("1.19.12", false, None),
        ("1.20.0", true, Some("1.20.7")),
        ("1.20.7", false, None),
        ("1.21.0-rc.3", true, Some("1.21.0-rc.4")),
        ("1.21.0", false, None),
    ];
    for (version, affected, fix) in cases {
        let report = db.check(&query("Go", "stdlib", version)).unwrap();
        let found = report
            .vulnerabilities
            .iter()
            .find(|v| v.id == "GO-2023-1987");
        assert_eq!(found.is_some(), affected, "stdlib {version}");
        if let (Some(found), Some(fix)) = (found, fix) {
            assert_eq!(found.fixed, [fix], "stdlib {version}");
            assert!(found.aliases.contains(&"CVE-2023-29409".to_owned()));
        }
    }
    // Go writes versions with a `v` in go.mod; OSV without.
    let argo = db
        .check(&query("Go", "github.com/argoproj/argo-cd", "v1.5.0"))
        .unwrap();
    let v = argo
        .vulnerabilities
        .iter()
        .find(|v| v.id == "GO-2022-0882")
        .unwrap();
    assert_eq!(v.aliases, ["CVE-2020-11576", "GHSA-vj54-cjrx-x696"]);
    assert_eq!(v.fixed, ["1.5.1"]);
}

#[test]
fn unknown_packages_and_invalid_versions() {
    let Some(db) = database() else { return };
    let none = db
        .check(&query("PyPI", "no-such-package-here", "1.0"))
        .unwrap();
    assert_eq!(none, Default::default());
    // An invalid version is reported, never ordered; the versions list still matches.
    let bad = db
        .check(&query("PyPI", "requests", "two point thirty"))
        .unwrap();
    assert!(bad.vulnerabilities.is_empty());
    assert!(
        bad.problems
            .iter()
            .any(|p| p.contains("not a valid PEP 440 version")),
        "{:?}",
        bad.problems
    );
}
