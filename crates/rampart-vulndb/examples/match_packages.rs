//! Opens a database and matches every package of a folder of generated projects (the
//! `requirements.txt` and `go.mod` files `rampart-gen --lockfiles` writes), then prints how
//! long opening and matching took and what was found. For BENCHMARKS.md:
//!
//! ```sh
//! cargo run --release -p rampart-vulndb --example match_packages -- DB FOLDER
//! ```

use std::time::Instant;

use rampart_vulndb::{Database, Query};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, folder] = &args[..] else {
        return Err("usage: match_packages DB FOLDER".into());
    };
    let mut packages: Vec<(&str, String, String)> = Vec::new();
    for project in std::fs::read_dir(folder)? {
        let project = project?.path();
        let requirements = std::fs::read_to_string(project.join("requirements.txt"))?;
        for line in requirements.lines() {
            if let Some((name, version)) = line.split_once("==") {
                packages.push(("PyPI", name.to_owned(), version.to_owned()));
            }
        }
        let go_mod = std::fs::read_to_string(project.join("go.mod"))?;
        for line in go_mod.lines().filter(|l| l.starts_with('\t')) {
            if let Some((name, version)) = line.trim().split_once(' ') {
                packages.push(("Go", name.to_owned(), version.to_owned()));
            }
        }
    }
    let start = Instant::now();
    let db = Database::open(std::path::Path::new(db))?;
    let opened = start.elapsed();
    let (mut vulnerable, mut findings, mut problems) = (0, 0, 0);
    for (ecosystem, name, version) in &packages {
        let report = db.check(&Query {
            ecosystem,
            name,
            version,
            source: None,
        })?;
        vulnerable += usize::from(!report.vulnerabilities.is_empty());
        findings += report.vulnerabilities.len();
        problems += report.problems.len();
    }
    let total = start.elapsed();
    println!(
        "{} packages: opened in {:.1} ms, opened and matched in {:.1} ms; {vulnerable} vulnerable, {findings} vulnerabilities, {problems} problems",
        packages.len(),
        opened.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
    );
    Ok(())
}
