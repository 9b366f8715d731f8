//! SBOMs of packages read from lockfiles and a dpkg database: CycloneDX 1.6 validated against
//! its official schema (from `../shared/schemas`), SPDX 2.3 checked for the fields the
//! specification requires and for references that resolve; both deterministic.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rampart_core::MemoryFiles;
use rampart_deps::sbom::{CycloneDx, Described, Sbom, Spdx};
use rampart_deps::{Lockfile, installed};
use rampart_test_support::shared;
use serde_json::{Value, json};

fn fixture_sbom() -> Sbom {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles");
    let mut packages = Vec::new();
    for (folder, name) in [
        ("npm", "package-lock.json"),
        ("yarn", "yarn.lock"),
        ("uv", "uv.lock"),
        ("cargo", "Cargo.lock"),
    ] {
        let text = fs::read_to_string(dir.join(folder).join(name)).unwrap();
        let shown = format!("{folder}/{name}");
        packages.extend(
            Lockfile::of_name(name)
                .unwrap()
                .read(&shown, &text)
                .packages,
        );
    }
    let mut files = MemoryFiles::new();
    files
        .file(
            "/etc/os-release",
            "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
        )
        .file(
            "/var/lib/dpkg/status",
            "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n\
             Source: openssl\nVersion: 3.0.15-1~deb12u1\n",
        );
    let system = installed(&files);
    assert!(system.problems.is_empty());
    packages.extend(system.packages);
    Sbom {
        name: "shop".to_owned(),
        kind: Described::Folder,
        distro: system.distro,
        packages,
    }
}

/// Serves the schemas `bom-1.6.schema.json` refers to from the folder it lies in.
struct Beside(PathBuf);

impl jsonschema::Retrieve for Beside {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or_default();
        let text = fs::read_to_string(self.0.join(name))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn cyclonedx_schema() -> Option<jsonschema::Validator> {
    let folder = shared("schemas")?;
    let text = fs::read_to_string(folder.join("bom-1.6.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .with_retriever(Beside(folder))
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    Some(validator)
}

fn errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect()
}

#[test]
fn cyclonedx_validates_against_the_official_schema() {
    let sbom = fixture_sbom();
    let document = serde_json::to_value(CycloneDx::new(&sbom, "0.1.0")).unwrap();
    // Merged by purl: the npm and Yarn fixtures lock the same tree.
    let purls: BTreeSet<&str> = sbom.packages.iter().map(|p| p.purl.as_str()).collect();
    let components = document["components"].as_array().unwrap();
    assert_eq!(
        components.len(),
        purls.len() + 1,
        "one per purl, and the OS"
    );
    let express = components.iter().find(|c| c["name"] == "express").unwrap();
    let places: Vec<&str> = express["evidence"]["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["location"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["npm/package-lock.json", "yarn/yarn.lock"]);
    let ssl = components.iter().find(|c| c["name"] == "libssl3").unwrap();
    assert_eq!(
        ssl["purl"],
        "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl"
    );
    let Some(validator) = cyclonedx_schema() else {
        return;
    };
    assert_eq!(errors(&validator, &document), Vec::<String>::new());
    // The validator is not vacuous.
    let mut broken = document.clone();
    broken["components"][1]["type"] = json!("gadget");
    assert!(!errors(&validator, &broken).is_empty());
}

#[test]
fn spdx_has_what_the_specification_requires() {
    let sbom = fixture_sbom();
    let document = serde_json::to_value(Spdx::new(&sbom, "0.1.0", "2026-12-07T21:00:00Z")).unwrap();
    for field in [
        "spdxVersion",
        "dataLicense",
        "SPDXID",
        "name",
        "documentNamespace",
    ] {
        assert!(document[field].is_string(), "{field}");
    }
    assert_eq!(document["spdxVersion"], "SPDX-2.3");
    assert_eq!(document["dataLicense"], "CC0-1.0");
    assert_eq!(document["creationInfo"]["created"], "2026-12-07T21:00:00Z");
    assert!(
        document["creationInfo"]["creators"][0]
            .as_str()
            .unwrap()
            .starts_with("Tool: ")
    );
    let packages = document["packages"].as_array().unwrap();
    let mut ids = BTreeSet::new();
    for package in packages {
        let id = package["SPDXID"].as_str().unwrap();
        assert!(id.starts_with("SPDXRef-"));
        assert!(
            id["SPDXRef-".len()..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "{id}"
        );
        assert!(ids.insert(id), "{id} twice");
        assert!(package["name"].is_string());
        assert_eq!(package["downloadLocation"], "NOASSERTION");
        // Without files analysed, no verification code is due.
        assert_eq!(package["filesAnalyzed"], false);
    }
    ids.insert("SPDXRef-DOCUMENT");
    let relationships = document["relationships"].as_array().unwrap();
    for relationship in relationships {
        for end in ["spdxElementId", "relatedSpdxElement"] {
            let id = relationship[end].as_str().unwrap();
            assert!(ids.contains(id), "{id} refers to nothing");
        }
    }
    assert!(
        relationships
            .iter()
            .any(|r| r["relationshipType"] == "DESCRIBES")
    );
    let express = packages.iter().find(|p| p["name"] == "express").unwrap();
    assert_eq!(express["externalRefs"][0]["referenceType"], "purl");
    let depends = relationships
        .iter()
        .find(|r| r["relatedSpdxElement"] == express["SPDXID"])
        .unwrap();
    assert_eq!(depends["relationshipType"], "DEPENDS_ON");
}

#[test]
fn the_same_packages_give_the_same_documents() {
    let sbom = fixture_sbom();
    let mut shuffled = sbom.clone();
    shuffled.packages.reverse();
    let cyclonedx = |sbom: &Sbom| serde_json::to_string(&CycloneDx::new(sbom, "0.1.0")).unwrap();
    let spdx = |sbom: &Sbom| serde_json::to_string(&Spdx::new(sbom, "0.1.0", "x")).unwrap();
    assert_eq!(cyclonedx(&sbom), cyclonedx(&shuffled));
    assert_eq!(spdx(&sbom), spdx(&shuffled));
}
