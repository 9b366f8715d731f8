//! Every case under `tests/helm/` is a chart (written for these tests) and the arguments to
//! render it with; its `expected.yaml` (or `expected.error`) is what Helm itself printed, as
//! `tests/helm/regenerate.sh` records. rampart's rendering must equal it byte for byte.

use std::path::{Path, PathBuf};

use rampart_render::helm::{Options, SetKind, load_listing, render};

fn read_tree(root: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(rel))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if e.path().is_dir() {
            read_tree(root, &child, out);
        } else {
            out.push((child, std::fs::read(e.path()).unwrap()));
        }
    }
}

/// The case's chart and options, from its `args` file (one `helm template` argument a line).
fn case(dir: &Path) -> (PathBuf, Options) {
    let mut chart = dir.join("chart");
    let mut opts = Options::default();
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let lines: Vec<&str> = args.lines().filter(|l| !l.is_empty()).collect();
    let mut i = 0;
    while i < lines.len() {
        let flag = lines[i];
        let mut value = || {
            i += 1;
            lines[i].to_string()
        };
        match flag {
            f if f.starts_with("chart=") => chart = dir.join(&f["chart=".len()..]),
            f if f.starts_with("name=") => opts.release_name = f["name=".len()..].to_string(),
            "-f" | "--values" => {
                let file = value();
                let bytes = std::fs::read(dir.join(&file)).unwrap();
                opts.values.push((file, bytes));
            }
            "--set" => opts.set.push((SetKind::Typed, value())),
            "--set-string" => opts.set.push((SetKind::String, value())),
            "--set-json" => opts.set.push((SetKind::Json, value())),
            "--set-literal" => opts.set.push((SetKind::Literal, value())),
            "--kube-version" => opts.kube_version = value(),
            "--api-versions" => opts.api_versions.push(value()),
            "--namespace" => opts.namespace = value(),
            "--include-crds" => opts.include_crds = true,
            "--skip-tests" => opts.skip_tests = true,
            other => panic!("{}: unknown argument {other}", dir.display()),
        }
        i += 1;
    }
    (chart, opts)
}

/// `YAML parse error on FILE: error converting YAML to JSON: yaml: ` of a message.
fn yaml_error_file(message: &str) -> Option<&str> {
    message.find(" yaml: ").map(|i| &message[..i])
}

#[test]
fn renders_as_helm_template_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/helm");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5, "the cases are missing");
    let mut failures = Vec::new();
    for dir in &dirs {
        let (chart_dir, opts) = case(dir);
        let mut files = Vec::new();
        read_tree(&chart_dir, "", &mut files);
        let ours = load_listing(files)
            .map_err(|e| e.to_string())
            .and_then(|c| render(&c, &opts).map(|r| r.stream()).map_err(|e| e.message));
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expected_yaml = std::fs::read_to_string(dir.join("expected.yaml")).ok();
        let expected_error = std::fs::read_to_string(dir.join("expected.error")).ok();
        match (ours, expected_yaml, expected_error) {
            (Ok(out), Some(want), _) if out == want => {}
            (Err(e), _, Some(want)) if e.trim_end() == want.trim_end() => {}
            // go-yaml's wording of a YAML syntax error is not reproduced: the file must match.
            (Err(e), _, Some(want))
                if want.starts_with("YAML parse error")
                    && yaml_error_file(&e) == yaml_error_file(&want) => {}
            (got, want, want_err) => {
                let got = match got {
                    Ok(s) => s,
                    Err(e) => format!("Error: {e}"),
                };
                let want = want
                    .or(want_err.map(|e| format!("Error: {e}")))
                    .unwrap_or_default();
                let first = got.lines().zip(want.lines()).position(|(a, b)| a != b);
                failures.push(format!(
                    "{name}: first difference at line {}\n  helm:    {:?}\n  rampart: {:?}",
                    first.map_or(0, |l| l + 1),
                    first.and_then(|l| want.lines().nth(l)).unwrap_or("<end>"),
                    first.and_then(|l| got.lines().nth(l)).unwrap_or("<end>"),
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Helm:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}
