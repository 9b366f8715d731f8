//! A scan reads lockfiles into packages: found by name in the scanned folders, a broken one
//! reported with its line while the others are read.

use std::fs;

use rampart_deps::{Ecosystem, Package, Relation};
use rampart_scan::{Config, ScanOptions, Scanner};
use rampart_source::Target;

#[test]
fn lockfiles_in_a_folder_become_packages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("web")).unwrap();
    fs::write(root.join("requirements.txt"), "-r base.in\nflask==3.0.3\n").unwrap();
    fs::write(root.join("base.in"), "gunicorn==22.0.0\n").unwrap();
    fs::write(
        root.join("web/package-lock.json"),
        r#"{"lockfileVersion": 3, "packages": {
  "": {"dependencies": {"ms": "^2"}},
  "node_modules/ms": {"version": "2.1.3"}}}"#,
    )
    .unwrap();
    fs::write(root.join("Cargo.lock"), "[[package]\n").unwrap();
    let scanner = Scanner::new(Config::default(), ScanOptions::default()).unwrap();
    let target = Target::Path(root.to_owned());
    let inputs = scanner.read(&[target]).unwrap();
    let mut packages: Vec<(Ecosystem, &str, &str, Option<Relation>)> = inputs
        .inventory
        .all::<Package>()
        .iter()
        .map(|p| (p.ecosystem, p.name.as_str(), p.version.as_str(), p.relation))
        .collect();
    packages.sort();
    let direct = Some(Relation::Direct);
    assert_eq!(
        packages,
        [
            (Ecosystem::PyPI, "flask", "3.0.3", direct),
            (Ecosystem::PyPI, "gunicorn", "22.0.0", direct),
            (Ecosystem::Npm, "ms", "2.1.3", direct),
        ]
    );
    let report = scanner.scan(&inputs).unwrap();
    let cargo = report
        .errors
        .iter()
        .find(|e| e.path.ends_with("Cargo.lock"))
        .expect("the broken Cargo.lock is reported");
    assert_eq!(cargo.line, Some(1));
}
