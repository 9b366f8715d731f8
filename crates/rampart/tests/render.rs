//! `rampart render` prints what `helm template` and `kubectl kustomize` print (the references
//! under `crates/rampart-render/tests/helm/` and `tests/kustomize/` are their own output), and a scan of a folder holding
//! charts scans what they render to, naming the template of each object, with render failures
//! as errors that `--fail-on-errors` (on in CI) turns into exit 2.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cases() -> PathBuf {
    repo().join("crates/rampart-render/tests/helm")
}

fn rampart() -> Command {
    let mut cmd = Command::cargo_bin("rampart").unwrap();
    cmd.current_dir(repo())
        .env("NO_COLOR", "1")
        .env_remove("CI");
    cmd
}

#[test]
fn render_prints_the_stream_helm_template_prints() {
    let output = rampart()
        .args([
            "render",
            "--release-name",
            "my-release",
            "--namespace",
            "prod",
            "--include-crds",
        ])
        .arg(cases().join("objects/chart"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = std::fs::read_to_string(cases().join("objects/expected.yaml")).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn render_prints_the_stream_kubectl_kustomize_prints() {
    let case = repo().join("crates/rampart-render/tests/kustomize/components");
    let output = rampart()
        .arg("render")
        .arg(case.join("overlay"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = std::fs::read_to_string(case.join("expected.yaml")).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn render_takes_values_as_helm_does() {
    let dir = cases().join("values-flags");
    let output = rampart()
        .current_dir(&dir)
        .args(["render", "chart", "-f", "prod.yaml", "-f", "override.yaml"])
        .args(["--set", "count=5,flag=TRUE,nil=null,zero=0,lead=007,neg=-3"])
        .args([
            "--set",
            "servers[0].name=a,servers[0].port=80,servers[2].name=c",
        ])
        .args(["--set", "tags={x,y,z}", "--set", r"dotted\.key=v,esc=a\,b"])
        .args([
            "--set-string",
            "str=42",
            "--set-json",
            r#"json={"n":1,"l":[true]}"#,
        ])
        .args(["--set", "image.tag=1.27", "--set-literal", "lit=a,b=c"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = std::fs::read_to_string(dir.join("expected.yaml")).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn a_failing_template_is_an_error_with_its_file_and_line() {
    let output = rampart()
        .arg("render")
        .arg(cases().join("error-required/chart"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("error-required/chart/templates/t.yaml:3: execution error at (error-required/templates/t.yaml:3:11): A database password is required"),
        "{stderr}"
    );
}

/// A folder with a chart that renders, one that does not, and a plain manifest.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&cases().join("subcharts/chart"), &dir.path().join("shop"));
    copy_tree(
        &cases().join("error-required/chart"),
        &dir.path().join("broken"),
    );
    std::fs::write(
        dir.path().join("plain.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: plain\n  namespace: apps\n",
    )
    .unwrap();
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn scan(dir: &Path, extra: &[&str], ci: bool) -> (i32, String) {
    let mut cmd = rampart();
    if ci {
        cmd.env("CI", "true");
    }
    let output = cmd
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn a_scan_reads_charts_as_helm_renders_them() {
    let dir = repository();
    let (code, stdout) = scan(dir.path(), &[], false);
    assert_eq!(code, 0, "errors are reported, not fatal, outside CI");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    // The shop renders to 4 objects (subcharts included), the plain file holds 1; the
    // templates themselves are not read as YAML.
    assert_eq!(report["summary"]["objects"], 5, "{report:#}");
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["subject"]["kind"] == "StatefulSet")
        .expect("a finding on the subchart's StatefulSet");
    let path = finding["location"]["path"].as_str().unwrap();
    assert!(path.ends_with("shop/charts/db/templates/db.yaml"), "{path}");
    assert_eq!(
        finding["location"]["template"],
        "shop/charts/db/templates/db.yaml"
    );
    let errors = report["errors"].as_array().unwrap();
    let broken = errors
        .iter()
        .find(|e| {
            e["message"]
                .as_str()
                .unwrap()
                .contains("A database password is required")
        })
        .unwrap_or_else(|| panic!("no render error: {errors:#?}"));
    assert!(
        broken["path"]
            .as_str()
            .unwrap()
            .ends_with("broken/templates/t.yaml")
    );
    assert_eq!(broken["line"], 3);
}

#[test]
fn render_errors_fail_the_scan_when_asked_and_in_ci() {
    let dir = repository();
    assert_eq!(scan(dir.path(), &["--fail-on-errors"], false).0, 2);
    assert_eq!(
        scan(dir.path(), &[], true).0,
        2,
        "CI turns --fail-on-errors on"
    );
    assert_eq!(scan(dir.path(), &["--no-fail-on-errors"], true).0, 0);
}
