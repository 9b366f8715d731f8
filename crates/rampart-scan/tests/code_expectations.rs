//! The code rules' fixtures say where each finding must be: a sink line ends with a comment
//! `# expect: A101` (the code once per finding expected on the line). Every `A` rule's
//! `trigger` and `pass` fixtures are scanned with the rule alone, and the findings must be
//! exactly those lines: a case that stops firing, or a safe line that starts to, fails here
//! with its file and line, whatever the snapshot says.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rampart_rules::registry;
use rampart_scan::{Config, ScanOptions, Scanner};
use rampart_source::Target;

/// Python files under `path` (itself if it is one).
fn python_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            files.extend(python_files(&entry));
        } else if entry.extension().is_some_and(|e| e == "py") {
            files.push(entry);
        }
    }
    files
}

/// (file, line) -> how many findings of `code` the comments expect there.
fn expected(path: &Path, code: &str) -> BTreeMap<(String, u32), usize> {
    let mut expected = BTreeMap::new();
    for file in python_files(path) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (index, line) in text.lines().enumerate() {
            let Some((_, comment)) = line.split_once("# expect:") else {
                continue;
            };
            let count = comment.split_whitespace().filter(|c| *c == code).count();
            if count > 0 {
                expected.insert((file.display().to_string(), index as u32 + 1), count);
            }
        }
    }
    expected
}

fn found(path: &Path, code: &str) -> BTreeMap<(String, u32), usize> {
    let options = ScanOptions {
        select: vec![code.to_owned()],
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(Config::default(), options).unwrap();
    let inputs = scanner.read(&[Target::Path(path.to_owned())]).unwrap();
    let report = scanner.scan(&inputs).unwrap();
    assert!(
        report.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        report.errors
    );
    let mut found = BTreeMap::new();
    for finding in report.findings.iter().filter(|f| f.rule.code == code) {
        let key = (finding.location.path.to_string(), finding.location.line);
        *found.entry(key).or_insert(0) += 1;
    }
    found
}

#[test]
fn code_findings_are_where_the_fixtures_expect_them() {
    std::env::set_current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../rampart-rules"))
        .unwrap();
    let mut problems = Vec::new();
    for rule in registry() {
        let code = rule.meta().code;
        if !code.starts_with('A') {
            continue;
        }
        for case in ["trigger", "pass"] {
            let dir = Path::new("fixtures").join(code);
            let path = [dir.join(case), dir.join(format!("{case}.py"))]
                .into_iter()
                .find(|p| p.exists());
            let Some(path) = path else { continue };
            let expected = expected(&path, code);
            if case == "trigger" && expected.is_empty() {
                problems.push(format!(
                    "{code}: {} has no `# expect: {code}` line",
                    path.display()
                ));
            }
            let found = found(&path, code);
            for (place, count) in &expected {
                let got = found.get(place).copied().unwrap_or(0);
                if got != *count {
                    problems.push(format!(
                        "{code}: {}:{} expects {count}, found {got}",
                        place.0, place.1
                    ));
                }
            }
            for (place, count) in &found {
                if !expected.contains_key(place) {
                    problems.push(format!(
                        "{code}: {}:{} found {count}, expects none",
                        place.0, place.1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
