//! `rampart sbom` on a folder of lockfiles and on an image archive, in both formats.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sbom(args: &[&str]) -> (Value, String) {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .current_dir(repo())
        .env("SOURCE_DATE_EPOCH", "1796677200")
        .arg("sbom")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    (serde_json::from_str(&stdout).unwrap(), stderr)
}

const LOCKFILES: &str = "crates/rampart-deps/tests/fixtures/lockfiles";

#[test]
fn a_folder_of_lockfiles_in_both_formats() {
    let (cyclonedx, stderr) = sbom(&[LOCKFILES, "--format", "cyclonedx"]);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(cyclonedx["specVersion"], "1.6");
    let components = cyclonedx["components"].as_array().unwrap();
    let flask = components
        .iter()
        .find(|c| c["purl"] == "pkg:pypi/flask@3.0.3")
        .unwrap();
    let places: Vec<&str> = flask["evidence"]["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["location"].as_str().unwrap())
        .collect();
    // Relative to the folder described, whatever the current folder.
    assert_eq!(
        places,
        [
            "pip-compile/requirements.txt",
            "poetry/poetry.lock",
            "uv/uv.lock"
        ]
    );
    let (spdx, _) = sbom(&[LOCKFILES, "--format", "spdx"]);
    assert_eq!(spdx["creationInfo"]["created"], "2026-12-07T21:00:00Z");
    // One SPDX package per component, and the root.
    assert_eq!(
        spdx["packages"].as_array().unwrap().len(),
        components.len() + 1
    );
    // Byte-identical when run again.
    assert_eq!(sbom(&[LOCKFILES, "--format", "spdx"]).0, spdx);
}

/// An Alpine image: the base layer's packages, then one `apk add`.
const ALPINE: &str = r#"
[[layers]]
created_by = "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz /"
files = [
  { path = "etc/os-release", content = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n" },
  { path = "lib/apk/db/installed", content = "P:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n\nP:libcrypto3\nV:3.3.2-r0\nA:x86_64\no:openssl\n" },
]

[[layers]]
created_by = "RUN apk add --no-cache curl"
files = [
  { path = "lib/apk/db/installed", content = "P:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n\nP:libcrypto3\nV:3.3.2-r0\nA:x86_64\no:openssl\n\nP:curl\nV:8.11.0-r2\nA:x86_64\no:curl\n" },
]
"#;

#[test]
fn an_image_archive() {
    let spec = rampart_image::build::ImageSpec::parse(ALPINE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("alpine.tar");
    rampart_image::build::write_docker_archive(
        &spec,
        &archive,
        rampart_image::build::ArchiveStyle::Classic,
    )
    .unwrap();
    let (cyclonedx, _) = sbom(&[archive.to_str().unwrap(), "--format", "cyclonedx"]);
    assert_eq!(cyclonedx["metadata"]["component"]["type"], "container");
    let components = cyclonedx["components"].as_array().unwrap();
    assert_eq!(components[0]["type"], "operating-system");
    let curl = components.iter().find(|c| c["name"] == "curl").unwrap();
    assert_eq!(
        curl["purl"],
        "pkg:apk/alpine/curl@8.11.0-r2?arch=x86_64&distro=alpine-3.20.3"
    );
    let occurrence = &curl["evidence"]["occurrences"][0];
    assert_eq!(occurrence["location"], "/lib/apk/db/installed");
    assert!(
        occurrence["additionalContext"]
            .as_str()
            .unwrap()
            .starts_with("layer 2 (sha256:")
    );
    let ecosystem = curl["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "rampart:ecosystem")
        .unwrap();
    assert_eq!(ecosystem["value"], "Alpine:v3.20");
}
