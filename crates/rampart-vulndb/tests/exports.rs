//! OSV zip exports: imported from disk and from a download over HTTP on loopback, and refused
//! when they break a limit (zip bombs), with nothing of them imported.

use std::io::{Read, Write};
use std::net::TcpListener;

use rampart_vulndb::{ArchiveLimits, Database, DbError, Input, Query};
use zip::write::SimpleFileOptions;

fn record(id: &str, name: &str, fixed: &str, aliases: &[&str]) -> String {
    serde_json::json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": "2026-01-01T00:00:00Z",
        "aliases": aliases,
        "summary": format!("{id} in {name}"),
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
        "affected": [{
            "package": {"ecosystem": "PyPI", "name": name},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]
        }]
    })
    .to_string()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        out.start_file(*name, options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn demo_export() -> Vec<u8> {
    zip_of(&[
        (
            "PYSEC-2026-1.json",
            record("PYSEC-2026-1", "demo", "1.2", &["CVE-2026-0001"]).as_bytes(),
        ),
        // The same vulnerability in GitHub's database: one finding, not two.
        (
            "GHSA-aaaa-bbbb-cccc.json",
            record("GHSA-aaaa-bbbb-cccc", "demo", "1.2.1", &["CVE-2026-0001"]).as_bytes(),
        ),
        (
            "PYSEC-2026-2.json",
            record("PYSEC-2026-2", "demo", "1.3", &[]).as_bytes(),
        ),
        ("broken.json", b"{ not json"),
        ("README.txt", b"not a record"),
    ])
}

fn demo(version: &str) -> Query<'_> {
    Query {
        ecosystem: "PyPI",
        name: "demo",
        version,
        source: None,
    }
}

#[test]
fn an_export_imports_with_aliases_merged_and_the_smallest_full_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("all.zip");
    std::fs::write(&export, demo_export()).unwrap();
    let db_dir = dir.path().join("db");
    let report = rampart_vulndb::import(
        &db_dir,
        vec![Input::Path(&export)],
        &ArchiveLimits::default(),
    )
    .unwrap();
    assert_eq!((report.read, report.added, report.records), (3, 3, 3));
    assert_eq!(report.errors.len(), 1);
    assert!(
        report.errors[0].path.ends_with("all.zip!broken.json"),
        "{:?}",
        report.errors
    );

    let db = Database::open(&db_dir).unwrap();
    let found = db.check(&demo("1.1")).unwrap();
    let ids: Vec<&str> = found
        .vulnerabilities
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    assert_eq!(ids, ["PYSEC-2026-1", "PYSEC-2026-2"]);
    let merged = &found.vulnerabilities[0];
    assert_eq!(merged.aliases, ["CVE-2026-0001", "GHSA-aaaa-bbbb-cccc"]);
    assert_eq!(merged.fixed, ["1.2", "1.2.1"]);
    let severity = merged.severity.as_ref().unwrap();
    assert_eq!((severity.score, severity.rating.as_str()), (7.5, "high"));
    // 1.2 fixes PYSEC-2026-1 but not its GHSA twin nor PYSEC-2026-2: 1.3 fixes all.
    assert_eq!(found.upgrade.as_deref(), Some("1.3"));
    assert_eq!(db.check(&demo("1.2.1")).unwrap().vulnerabilities.len(), 1);
    assert!(db.check(&demo("1.3")).unwrap().vulnerabilities.is_empty());

    // Importing again changes nothing; a newer version of a record replaces it.
    let again = rampart_vulndb::import(
        &db_dir,
        vec![Input::Path(&export)],
        &ArchiveLimits::default(),
    )
    .unwrap();
    assert_eq!((again.added, again.replaced, again.records), (0, 0, 3));
    let meta = rampart_vulndb::Meta::read(&db_dir).unwrap();
    assert_eq!(meta.sources.len(), 1);
    assert_eq!(meta.sources[0].ecosystems["PyPI"], 3);
}

#[test]
fn zip_bombs_and_oversized_archives_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db_dir = dir.path().join("db");
    // 64 MiB of zeros deflate to some 64 KiB: a thousandfold.
    let zeros = vec![b' '; 64 << 20];
    let bomb = dir.path().join("bomb.zip");
    let good = record("PYSEC-2026-9", "demo", "1.0", &[]);
    std::fs::write(
        &bomb,
        zip_of(&[("a.json", good.as_bytes()), ("b.json", &zeros)]),
    )
    .unwrap();
    let refused =
        rampart_vulndb::import(&db_dir, vec![Input::Path(&bomb)], &ArchiveLimits::default())
            .unwrap_err();
    let message = refused.to_string();
    assert!(message.contains("bomb.zip"), "{message}");
    assert!(message.contains("limit"), "{message}");
    assert!(
        !db_dir.join("advisories.rdb").exists(),
        "nothing is written"
    );

    // Under the size of one record, but inflating a thousandfold.
    let dense = dir.path().join("dense.zip");
    let spaces = vec![b' '; 1 << 20];
    std::fs::write(&dense, zip_of(&[("a.json", &spaces)])).unwrap();
    let refused = rampart_vulndb::import(
        &db_dir,
        vec![Input::Path(&dense)],
        &ArchiveLimits::default(),
    )
    .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("more than the limit of 200 times"),
        "{refused}"
    );

    let many = dir.path().join("many.zip");
    std::fs::write(&many, demo_export()).unwrap();
    let limits = ArchiveLimits {
        max_entries: 2,
        ..ArchiveLimits::default()
    };
    let refused = rampart_vulndb::import(&db_dir, vec![Input::Path(&many)], &limits).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("5 entries, more than the limit of 2"),
        "{refused}"
    );
    let limits = ArchiveLimits {
        max_total_bytes: 600,
        ..ArchiveLimits::default()
    };
    let refused = rampart_vulndb::import(&db_dir, vec![Input::Path(&many)], &limits).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("more than the limit of 600 bytes"),
        "{refused}"
    );
    let not_zip = dir.path().join("fake.zip");
    std::fs::write(&not_zip, b"PK but not really").unwrap();
    assert!(matches!(
        rampart_vulndb::import(
            &db_dir,
            vec![Input::Path(&not_zip)],
            &ArchiveLimits::default()
        ),
        Err(DbError::Source { .. })
    ));
}

/// A one-thread HTTP/1.1 server on loopback answering `GET /PyPI/all.zip` with `body` and
/// anything else with 404, for `requests` requests.
fn serve(body: Vec<u8>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
                request.push(byte[0]);
            }
            let line = String::from_utf8_lossy(&request);
            let (status, body): (&str, &[u8]) = if line.starts_with("GET /PyPI/all.zip ") {
                ("200 OK", &body)
            } else {
                ("404 Not Found", b"no such export")
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/zip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(body).unwrap();
        }
    });
    format!("http://{address}")
}

#[test]
fn update_downloads_exports_from_the_configured_server() {
    let base = serve(demo_export(), 2);
    let url = rampart_vulndb::update::export_url(&base, "PyPI");
    assert_eq!(url, format!("{base}/PyPI/all.zip"));
    let bytes = rampart_vulndb::update::download(&url).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = rampart_vulndb::import(
        dir.path(),
        vec![Input::Zip { url: &url, bytes }],
        &ArchiveLimits::default(),
    )
    .unwrap();
    assert_eq!(report.records, 3);
    let meta = rampart_vulndb::Meta::read(dir.path()).unwrap();
    assert_eq!(meta.sources[0].origin, url);
    assert!(meta.age_seconds().unwrap() < 3600);

    let missing = rampart_vulndb::update::export_url(&base, "Rocky Linux");
    assert!(missing.ends_with("/Rocky%20Linux/all.zip"));
    let error = rampart_vulndb::update::download(&missing).unwrap_err();
    assert!(error.to_string().contains("404"), "{error}");
}
