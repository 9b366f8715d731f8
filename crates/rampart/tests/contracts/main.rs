//! Every command's JSON against its contract page in `docs/` (see `docs/json.md`): the keys
//! written are the keys documented, with the documented types, and every documented key is
//! written by at least one of the runs here.

mod db;
mod iam;
mod images;
mod netpol;
mod page;
mod pss;
mod rbac;
mod rules;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The JSON rampart writes for `args`, run in the repository.
fn output(args: &[&str]) -> String {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(repo())
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{args:?}: {stderr}"
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The answer to `args`, which must be an object whose first key is `schema_version`.
fn versioned_answer(args: &[&str], version: u32) -> Value {
    let text = output(args);
    assert!(
        text.starts_with(&format!("{{\n  \"schema_version\": {version},\n")),
        "{args:?}: pretty-printed, schema_version first: {text}"
    );
    assert!(text.ends_with("}\n"), "{args:?}: one trailing newline");
    serde_json::from_str(&text).unwrap()
}
