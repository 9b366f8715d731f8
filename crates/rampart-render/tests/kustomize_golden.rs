//! Every case under `tests/kustomize/` is a set of kustomizations (written for these tests)
//! and the folder to build; its `expected.yaml` is what `kubectl kustomize` printed, as
//! `tests/kustomize/regenerate.sh` records. rampart's rendering must equal it byte for byte.
//! A case where Kustomize fails has `expected.error` (Kustomize's message, for the record)
//! and an `error-at=FILE:LINE` line in `args`: rampart must fail there.

use std::path::{Path, PathBuf};

use rampart_core::MemoryFiles;
use rampart_render::kustomize;

/// The case's files under `/case`.
fn load(root: &Path, rel: &str, files: &mut MemoryFiles) {
    for entry in std::fs::read_dir(root.join(rel)).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.path().is_dir() {
            load(root, &child, files);
        } else {
            files.file(
                &format!("/case/{child}"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
}

fn arg<'a>(args: &'a str, key: &str) -> Option<&'a str> {
    args.lines().find_map(|l| l.strip_prefix(key))
}

#[test]
fn renders_as_kubectl_kustomize_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kustomize");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6, "the cases are missing");
    let mut failures = Vec::new();
    for dir in &dirs {
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
        let mut files = MemoryFiles::new();
        load(dir, "", &mut files);
        let target = format!("/case/{}", arg(&args, "dir=").unwrap_or("."));
        let result = kustomize::build(&files, &target);
        match (std::fs::read_to_string(dir.join("expected.yaml")), result) {
            (Ok(expected), Ok(rendered)) => {
                let got = kustomize::stream(&rendered);
                if got != expected {
                    let out = std::env::temp_dir().join(format!("rampart-kustomize-{case}.yaml"));
                    std::fs::write(&out, &got).unwrap();
                    failures.push(format!(
                        "{case}: differs (rampart's output: {})",
                        out.display()
                    ));
                }
            }
            (Ok(_), Err(e)) => {
                failures.push(format!("{case}: kustomize renders it, rampart fails: {e}"))
            }
            (Err(_), Ok(_)) => {
                failures.push(format!("{case}: kustomize fails, rampart renders it"))
            }
            (Err(_), Err(e)) => {
                let at = arg(&args, "error-at=").expect("error-at= in args");
                let got = match e.line {
                    Some(line) => format!("{}:{line}", e.path.trim_start_matches("/case/")),
                    None => e.path.trim_start_matches("/case/").to_string(),
                };
                if got != at {
                    failures.push(format!("{case}: error at {got}, expected at {at}: {e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
