//! `rampart image` and the images `rampart scan` finds or pulls, driven through the binary on
//! images the tests build from descriptions, and against a real registry on loopback.

mod support;

use std::path::Path;

use assert_cmd::Command;
use rampart_image::build::{self, ArchiveStyle, ImageSpec};
use rampart_image::testing::Registry;
use serde_json::Value;
use support::evidence_lines;

const LEAKY: &str = r#"
name = "registry.example/shop/api:3.1"
[config]
ExposedPorts = { "22/tcp" = {} }
Healthcheck = { Test = ["CMD", "true"] }
[[layers]]
created_by = "COPY . /src"
files = [
  { path = "src/deploy/id_ed25519", mode = 0o600, content = "-----BEGIN OPENSSH PRIVATE KEY-----\n" },
  { path = "usr/bin/python3", mode = 0o4755, size = 10 },
]
[[layers]]
created_by = "RUN rm -rf /src/deploy"
files = [{ path = "src/.wh.deploy" }]
"#;

fn rampart(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("rampart").unwrap();
    // Exit statuses here are those outside CI, where `--fail-on-errors` is off.
    command.env_remove("CI");
    // No Docker credentials of the user's, no colours.
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DOCKER_CONFIG", dir);
    command
}

/// Runs rampart, returns the exit code and the JSON report.
fn json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let output = rampart(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    (output.status.code().unwrap(), report)
}

/// `code path pointer` of every finding, sorted as the report sorts them.
fn summary(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["code"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["pointer"].as_str().unwrap()
            )
        })
        .collect()
}

fn fingerprints(report: &Value) -> Vec<String> {
    let mut prints: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["fingerprint"].as_str().unwrap()
            )
        })
        .collect();
    prints.sort();
    prints
}

#[test]
fn image_reports_archives_and_layouts_alike_with_stable_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ImageSpec::parse(LEAKY).unwrap();
    build::write_docker_archive(&spec, &dir.path().join("api.tar"), ArchiveStyle::Classic).unwrap();
    build::write_layout(&spec, &dir.path().join("api-layout")).unwrap();

    let (code, report) = json(dir.path(), &["image", "api.tar"]);
    assert_eq!(code, 1, "high findings fail the default gate");
    assert_eq!(
        summary(&report),
        [
            "I101 api.tar /config/User",
            "I102 api.tar /config/ExposedPorts/22~1tcp",
            "I105 api.tar /layers/0/usr/bin/python3",
            "I107 api.tar /layers/0/src/deploy/id_ed25519",
        ]
    );
    let message = report["findings"][3]["message"].as_str().unwrap();
    assert!(
        message.contains("layer 2") && message.contains("still ship"),
        "{message}"
    );

    let (_, layout) = json(dir.path(), &["image", "api-layout"]);
    assert_eq!(
        fingerprints(&report),
        fingerprints(&layout),
        "same image, same fingerprints"
    );

    // A rebuild with one more layer and another tag keeps the fingerprints of the same problems.
    let mut rebuilt = spec.clone();
    rebuilt.name = Some("registry.example/shop/api:3.2".to_owned());
    let mut extra = rebuilt.layers[0].clone();
    extra.files = vec![
        serde_json::from_value(serde_json::json!({"path": "app/extra", "content": "x"})).unwrap(),
    ];
    rebuilt.layers.insert(0, extra);
    build::write_layout(&rebuilt, &dir.path().join("rebuilt")).unwrap();
    let (_, rebuilt) = json(dir.path(), &["image", "rebuilt"]);
    assert_eq!(fingerprints(&report), fingerprints(&rebuilt));

    let (code, gated) = json(
        dir.path(),
        &["image", "api.tar", "--select", "I102", "--fail-on", "high"],
    );
    assert_eq!((code, summary(&gated).len()), (0, 1));
}

#[test]
fn unreadable_images_and_bad_flags_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.tar"), b"not a tar at all").unwrap();
    for args in [
        &["image", "does/not/exist.tar"][..],
        &["image", "broken.tar"],
        &["image", "x.tar", "--platform", "linux"],
    ] {
        let output = rampart(dir.path()).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("error"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn scan_finds_archives_and_layouts_and_reports_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ImageSpec::parse(LEAKY).unwrap();
    std::fs::create_dir_all(dir.path().join("deploy/images")).unwrap();
    build::write_docker_archive(
        &spec,
        &dir.path().join("deploy/images/api.tar"),
        ArchiveStyle::Layout,
    )
    .unwrap();
    build::write_layout(&spec, &dir.path().join("deploy/images/api-layout")).unwrap();
    // A tar that is not an image is none of rampart's business; a damaged image is an error.
    let mut other =
        tar::Builder::new(std::fs::File::create(dir.path().join("backup.tar")).unwrap());
    let mut header = tar::Header::new_gnu();
    header.set_size(2);
    other
        .append_data(&mut header, "notes.txt", &b"hi"[..])
        .unwrap();
    other.into_inner().unwrap();
    let damaged = dir.path().join("deploy/images/damaged.tar");
    build::write_docker_archive(&spec, &damaged, ArchiveStyle::Classic).unwrap();
    let mut archive = std::fs::read(&damaged).unwrap();
    let key_at = archive.windows(7).position(|w| w == b"OPENSSH").unwrap();
    archive[key_at] = b'X';
    std::fs::write(&damaged, &archive).unwrap();
    std::fs::write(
        dir.path().join("deploy/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop}\nspec:\n  containers:\n  - name: api\n    image: registry.example/shop/api:3.1\n",
    )
    .unwrap();

    let (code, report) = json(dir.path(), &["scan", ".", "--select", "I107,K101"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&report),
        [
            "I107 deploy/images/api-layout /layers/0/src/deploy/id_ed25519",
            "I107 deploy/images/api.tar /layers/0/src/deploy/id_ed25519",
        ]
    );
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], "deploy/images/damaged.tar");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("layer 0/layer.tar: content digest is sha256:"),
        "{message}"
    );
    assert_eq!(report["summary"]["objects"], 1);
}

#[test]
fn image_and_scan_pull_from_a_registry() {
    let registry = Registry::start();
    let spec = ImageSpec::parse(LEAKY).unwrap();
    let built = build::build(&spec).unwrap();
    registry.push("shop/api", "3.1", &built);
    let dir = tempfile::tempdir().unwrap();
    let reference = format!("{}/shop/api:3.1", registry.host);

    let (code, report) = json(dir.path(), &["image", &reference]);
    assert_eq!(code, 1);
    let codes: Vec<String> = summary(&report).iter().map(|s| s[..4].to_owned()).collect();
    assert_eq!(codes, ["I101", "I102", "I105", "I107"]);
    assert_eq!(
        report["findings"][0]["location"]["path"],
        reference.as_str()
    );

    std::fs::write(
        dir.path().join("pod.yaml"),
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api, namespace: shop}}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: {reference}\n      - name: sidecar\n        image: {}/shop/missing:1\n",
            registry.host
        ),
    )
    .unwrap();
    let (_, offline) = json(dir.path(), &["scan", ".", "--select", "I"]);
    assert!(summary(&offline).is_empty(), "no registry without --images");
    let (_, pulled) = json(dir.path(), &["scan", ".", "--images", "--select", "I107"]);
    assert_eq!(
        summary(&pulled),
        [format!("I107 {reference} /layers/0/src/deploy/id_ed25519")]
    );
    // The pulled image is the one the Deployment runs.
    assert_eq!(
        pulled["findings"][0]["evidence"][0]["value"],
        "Deployment shop/api, container api"
    );
    let error = pulled["errors"][0]["message"].as_str().unwrap();
    assert!(
        error.contains("Deployment shop/api") && error.contains("shop/missing"),
        "{error}"
    );
}

#[test]
fn scan_checks_workloads_against_the_user_of_their_images() {
    // `toor` is uid 0 in the image's own /etc/passwd.
    let spec = r#"
name = "registry.example/shop/api:3.1"
[config]
User = "toor"
[[layers]]
created_by = "ADD rootfs.tar /"
files = [{ path = "etc/passwd", content = "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\n" }]
"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("images")).unwrap();
    build::write_layout(
        &ImageSpec::parse(spec).unwrap(),
        &dir.path().join("images/api"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pods.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop}\nspec:\n  containers:\n  - name: api\n    image: registry.example/shop/api:3.1\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: strict, namespace: shop}\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: api\n    image: registry.example/shop/api:3.1\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: newer, namespace: shop}\nspec:\n  containers:\n  - name: api\n    image: registry.example/shop/api:3.2\n",
    )
    .unwrap();
    let (_, report) = json(dir.path(), &["scan", ".", "--select", "I101,K152,K153"]);
    assert_eq!(
        summary(&report),
        [
            "I101 images/api /config/User",
            "K153 pods.yaml /spec/containers/0",
            "K152 pods.yaml /spec/containers/0",
        ]
    );
    let findings = report["findings"].as_array().unwrap();
    let evidence = |index: usize| evidence_lines(&findings[index]);
    // Tag 3.2 is another image: only the two pods on 3.1 run this one.
    assert_eq!(
        evidence(0),
        [
            "run by: Pod shop/api, container api",
            "run by: Pod shop/strict, container api"
        ]
    );
    assert_eq!(
        evidence(1),
        [
            "image user: `config.User` `toor` of image images/api",
            "matched: image known by that name"
        ]
    );
    assert_eq!(findings[1]["subject"]["name"], "api");
    assert_eq!(findings[2]["subject"]["name"], "strict");
    let refused = findings[2]["message"].as_str().unwrap();
    assert!(
        refused.contains("image has non-numeric user (toor), cannot verify user is non-root"),
        "{refused}"
    );
}

#[test]
fn the_example_image_builds_and_shows_every_image_rule() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(repo.join("examples/images/leaky-api.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    build::write_docker_archive(
        &ImageSpec::parse(&text).unwrap(),
        &dir.path().join("leaky.tar"),
        ArchiveStyle::Layout,
    )
    .unwrap();
    let (code, report) = json(dir.path(), &["image", "leaky.tar"]);
    assert_eq!(code, 1);
    let mut codes: Vec<String> = summary(&report).iter().map(|s| s[..4].to_owned()).collect();
    codes.dedup();
    assert_eq!(
        codes,
        ["I101", "I102", "I103", "I104", "I105", "I106", "I107"]
    );
}
