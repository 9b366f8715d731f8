//! The Cloud layer's part of a scan: the provider model built from the Terraform files, plans
//! and templates read, with local modules outside the scanned folders read from disk, and
//! `--var-file`s.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rampart_cloud::terraform::{self, TerraformFile};
use rampart_cloud::{CloudInputs, CloudModel, ModuleFiles};
use rampart_source::{Inventory, Limits, name_in_repository};

/// Local module folders read from the host when the scan did not include them.
struct HostModules<'l> {
    limits: &'l Limits,
}

impl ModuleFiles for HostModules<'_> {
    fn files_of(&self, folder: &str) -> Option<Vec<TerraformFile>> {
        let entries = std::fs::read_dir(folder).ok()?;
        let mut files = Vec::new();
        let mut names: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                path.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
            })
            .collect();
        names.sort();
        for path in names {
            let metadata = std::fs::metadata(&path).ok()?;
            if metadata.len() > self.limits.max_file_bytes {
                continue;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            let name = path.file_name()?.to_str()?.to_owned();
            let shown = rampart_source::display_path(&path);
            // A module that does not parse is reported where it is called from.
            if let Ok(file) = terraform::parse_file(&shown, folder, &name, &text, self.limits) {
                files.push(file);
            }
        }
        Some(files)
    }
}

/// Reads `--var-file`s.
pub(crate) fn var_files(paths: &[PathBuf], limits: &Limits) -> Result<Vec<TerraformFile>> {
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the variables file {}", path.display()))?;
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("vars.tfvars");
            // Whatever its name, a file given with --var-file holds variable values.
            let name = if name.ends_with(".json") {
                "given.tfvars.json"
            } else {
                "given.tfvars"
            };
            let shown = rampart_source::display_path(path);
            terraform::parse_file(&shown, "/", name, &text, limits)
                .map_err(|e| anyhow::anyhow!("{}:{}: {}", e.path, e.line.unwrap_or(0), e.message))
        })
        .collect()
}

/// The model of what `inventory` holds.
pub(crate) fn model(
    inventory: &Inventory,
    var_files: Vec<TerraformFile>,
    limits: &Limits,
) -> CloudModel {
    let inputs = CloudInputs {
        var_files,
        limits: terraform::Limits::default(),
    };
    let roots = &inventory.roots;
    let name = |path: &str| {
        let named = name_in_repository(Path::new(path), roots).to_string();
        if named.is_empty() {
            ".".to_owned()
        } else {
            named
        }
    };
    rampart_cloud::build(inventory, &inputs, &HostModules { limits }, &name)
}
