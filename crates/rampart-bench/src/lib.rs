//! Realistic Kubernetes manifests at scale, generated deterministically from a seed, to
//! benchmark rampart and its peers on the same input.
//!
//! A corpus mixes every workload kind with the Services, ConfigMaps and ServiceAccounts that
//! travel with them, in multi-document files: most workloads in bundles of
//! [`WORKLOADS_PER_BUNDLE`] (some rendered Helm-style with `# Source:` comments), a tenth in a
//! file of their own. Security settings range from hardened to careless, so every rule has work.

pub mod dockerfile;
pub mod lockfiles;
pub mod netpol;
pub mod python;
pub mod rbac;
mod rng;
pub mod secrets;
pub mod terraform;
mod workload;
mod yaml;

use std::io;
use std::path::Path;

pub use rng::Rng;
use workload::Workload;

/// Workloads per bundle file.
pub const WORKLOADS_PER_BUNDLE: usize = 100;

/// One generated file: its path relative to the corpus root, and its YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestFile {
    pub path: String,
    pub text: String,
}

/// `workloads` workloads as manifest files, the same for the same seed.
pub fn generate(workloads: usize, seed: u64) -> Vec<ManifestFile> {
    let mut rng = Rng::new(seed);
    let generated: Vec<Workload> = (0..workloads)
        .map(|index| workload::generate(&mut rng, index))
        .collect();
    let (single, bundled) = generated.split_at(workloads / 10);
    let mut files: Vec<ManifestFile> = single
        .iter()
        .map(|workload| ManifestFile {
            path: format!("apps/{}/{}.yaml", workload.namespace, workload.name),
            text: plain(std::slice::from_ref(workload)),
        })
        .collect();
    for (number, bundle) in bundled.chunks(WORKLOADS_PER_BUNDLE).enumerate() {
        // Every third bundle looks like `helm template` output.
        let file = if number % 3 == 0 {
            ManifestFile {
                path: format!("rendered/release-{number:04}.yaml"),
                text: helm_rendered(bundle),
            }
        } else {
            ManifestFile {
                path: format!("bundles/bundle-{number:04}.yaml"),
                text: plain(bundle),
            }
        };
        files.push(file);
    }
    files
}

/// Writes `files` under `root`, creating folders as needed.
pub fn write(root: &Path, files: &[ManifestFile]) -> io::Result<()> {
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.text)?;
    }
    Ok(())
}

/// Documents joined by `---` lines, as people write them.
fn plain(workloads: &[Workload]) -> String {
    let documents: Vec<&str> = workloads
        .iter()
        .flat_map(|workload| &workload.documents)
        .map(|document| document.text.as_str())
        .collect();
    documents.join("---\n")
}

/// Documents as `helm template` prints them: `---`, then `# Source: chart/templates/file.yaml`.
fn helm_rendered(workloads: &[Workload]) -> String {
    let mut text = String::new();
    for workload in workloads {
        for document in &workload.documents {
            text.push_str("---\n# Source: ");
            text.push_str(workload.chart);
            text.push_str("/templates/");
            text.push_str(document.template);
            text.push('\n');
            text.push_str(&document.text);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_for_a_seed() {
        assert_eq!(generate(50, 42), generate(50, 42));
        assert_ne!(generate(50, 42), generate(50, 43));
    }

    #[test]
    fn layout_has_singles_and_bundles() {
        let files = generate(1_000, 1);
        let singles = files.iter().filter(|f| f.path.starts_with("apps/")).count();
        assert_eq!(singles, 100);
        assert_eq!(files.len(), 100 + 9);
        assert!(files.iter().any(|f| f.text.contains("# Source: ")));
    }

    #[test]
    fn about_three_kilobytes_per_workload() {
        let bytes: usize = generate(1_000, 7).iter().map(|f| f.text.len()).sum();
        let per_workload = bytes / 1_000;
        assert!(
            (2_500..=3_500).contains(&per_workload),
            "{per_workload} bytes per workload"
        );
    }
}
