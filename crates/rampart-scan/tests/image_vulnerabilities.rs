//! The packages of an image go through the vulnerability rule like a lockfile's: each finding
//! names the layer that added the package and whether that layer is the base image's (update
//! the base image) or the image's own build's (update it there).

use std::fs;
use std::path::Path;

use rampart_core::Finding;
use rampart_scan::{Config, ScanOptions, Scanner};

/// A Debian 12 base with a vulnerable `expat` (binary package `libexpat1`), ending its build
/// with `CMD`; the application's build adds a vulnerable Flask with pip.
const IMAGE: &str = r#"
name = "shop/web:1.0"
[config]
Labels = { "org.opencontainers.image.base.name" = "docker.io/library/debian:12" }

[[layers]]
created_by = "ADD rootfs.tar.xz /"
files = [
  { path = "etc/os-release", content = "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n" },
  { path = "var/lib/dpkg/status", content = """
Package: libexpat1
Status: install ok installed
Source: expat
Version: 2.5.0-1
Architecture: amd64

Package: base-files
Status: install ok installed
Version: 12.4+deb12u5
Architecture: amd64
""" },
]

[[layers]]
created_by = 'CMD ["bash"]'
empty = true

[[layers]]
created_by = "RUN pip install flask==2.2.4"
files = [
  { path = "usr/local/lib/python3.11/site-packages/flask-2.2.4.dist-info/METADATA", content = "Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.4\n" },
]

[[layers]]
created_by = 'CMD ["flask", "run"]'
empty = true
"#;

const EXPAT: &str = r#"{"id": "DEBIAN-CVE-2024-45490", "modified": "2026-01-01T00:00:00Z",
  "summary": "expat: negative length for XML_ParseBuffer",
  "affected": [{"package": {"ecosystem": "Debian:12", "name": "expat"},
    "ranges": [{"type": "ECOSYSTEM",
      "events": [{"introduced": "0"}, {"fixed": "2.5.0-1+deb12u1"}]}]}]}"#;

const FLASK: &str = r#"{"id": "PYSEC-2023-62", "modified": "2026-01-01T00:00:00Z",
  "aliases": ["CVE-2023-30861"],
  "summary": "Session cookie disclosed to the wrong client behind a caching proxy",
  "affected": [{"package": {"ecosystem": "PyPI", "name": "flask"},
    "ranges": [{"type": "ECOSYSTEM",
      "events": [{"introduced": "0"}, {"fixed": "2.2.5"}]}]}]}"#;

fn scan_image(spec: &str, db: Option<&Path>) -> (Vec<Finding>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("image");
    let spec = rampart_image::build::ImageSpec::parse(spec).unwrap();
    rampart_image::build::write_layout(&spec, &layout).unwrap();
    let options = ScanOptions {
        select: vec!["V101".to_owned()],
        db: db.map(Path::to_owned),
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(Config::default(), options).unwrap();
    let inputs = scanner
        .read_images(&[layout.display().to_string()])
        .unwrap();
    let notices = scanner.notices(&inputs).to_vec();
    let report = scanner.scan(&inputs).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    (report.findings, notices)
}

fn database() -> tempfile::TempDir {
    let advisories = tempfile::tempdir().unwrap();
    fs::write(advisories.path().join("expat.json"), EXPAT).unwrap();
    fs::write(advisories.path().join("flask.json"), FLASK).unwrap();
    let db = tempfile::tempdir().unwrap();
    rampart_scan::db::import(db.path(), &[advisories.path().to_owned()]).unwrap();
    db
}

#[test]
fn image_packages_are_matched_with_their_layer_and_base_image() {
    let db = database();
    let (mut findings, _) = scan_image(IMAGE, Some(db.path()));
    findings.sort_by(|a, b| a.message.cmp(&b.message));
    let summary: Vec<_> = findings
        .iter()
        .map(|f| {
            let package = &f.vulnerability.as_ref().unwrap().package;
            (
                package.name.as_str(),
                package.layer,
                package.in_base_image,
                package.base_image.as_deref(),
            )
        })
        .collect();
    let base = Some("docker.io/library/debian:12");
    // Flask from layer 1 (the pip install, after the base's `CMD`); libexpat1 from layer 0,
    // matched by its source package `expat` in Debian 12's advisories. base-files has none.
    assert_eq!(
        summary,
        [
            ("Flask", Some(1), Some(false), base),
            ("libexpat1", Some(0), Some(true), base),
        ] as [(&str, Option<usize>, Option<bool>, Option<&str>); 2]
    );
    let flask = &findings[0];
    assert!(
        flask
            .message
            .contains("was added by the image's own build: update it there"),
        "{}",
        flask.message
    );
    assert!(
        flask.message.contains("upgrade to 2.2.5"),
        "{}",
        flask.message
    );
    let expat = &findings[1];
    assert!(
        expat
            .message
            .contains("is from the base image docker.io/library/debian:12: update the base image"),
        "{}",
        expat.message
    );
    let vulnerability = expat.vulnerability.as_ref().unwrap();
    assert_eq!(vulnerability.package.ecosystem, "Debian:12");
    assert_eq!(vulnerability.package.source.as_deref(), Some("expat"));
    assert_eq!(vulnerability.fixed, ["2.5.0-1+deb12u1"]);
    // Located at the image, pointing at the file that lists the package.
    assert!(
        expat.location.path.ends_with("image"),
        "{:?}",
        expat.location
    );
    assert_eq!(&*expat.pointer, "/var/lib/dpkg/status");
}

#[test]
fn without_a_base_image_boundary_the_layer_is_still_named() {
    // The same image without the base's `CMD`: its history does not tell where the base ends.
    let spec = IMAGE.replace(
        "created_by = 'CMD [\"bash\"]'\nempty = true",
        "created_by = 'ENV A=1'\nempty = true",
    );
    let db = database();
    let (findings, _) = scan_image(&spec, Some(db.path()));
    assert_eq!(findings.len(), 2);
    for finding in &findings {
        let package = &finding.vulnerability.as_ref().unwrap().package;
        assert_eq!(package.in_base_image, None);
        assert!(
            finding.message.contains("; added by layer "),
            "{}",
            finding.message
        );
    }
}

#[test]
fn an_image_scan_without_a_database_says_so() {
    let missing = tempfile::tempdir().unwrap();
    let (findings, notices) = scan_image(IMAGE, Some(&missing.path().join("db")));
    assert!(findings.is_empty());
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("no vulnerability database"),
        "{notices:?}"
    );
}
