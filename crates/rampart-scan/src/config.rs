//! `rampart.toml`: which rules run, their options, and reviewed exclusions.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::{Glob, GlobMatcher};
use rampart_core::ImageRef;
use rampart_graph::{Build, Declared, ImageMapping, Matched, normalized};
use rampart_rules::{RuleOptions, names_a_rule};
use serde::Deserialize;

pub const CONFIG_FILE: &str = "rampart.toml";

/// The parsed configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub rules: RuleSelection,
    pub options: RuleOptions,
    pub exclude: Vec<Exclusion>,
    /// Image references (a repository stands for all its tags) and the Dockerfile, OCI
    /// layout or `docker save` archive that builds or holds each, relative to the file's
    /// folder: for workloads whose image the folder and name matching does not find.
    pub images: BTreeMap<String, PathBuf>,
    /// The folder holding the file: exclusion and image paths are relative to it.
    #[serde(skip)]
    pub root: PathBuf,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

/// Findings to silence, each with the reason a reviewer accepted. Every criterion given must
/// match (they combine with AND); an omitted criterion matches everything.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// Rule codes or prefixes; all rules when omitted.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Globs over file paths, relative to the config file's folder.
    #[serde(default, deserialize_with = "globs")]
    pub paths: Vec<GlobMatcher>,
    /// Globs over namespaces.
    #[serde(default, deserialize_with = "globs")]
    pub namespaces: Vec<GlobMatcher>,
    /// Globs over `Kind/namespace/name` (or `Kind/name` for cluster-scoped objects).
    #[serde(default, deserialize_with = "globs")]
    pub objects: Vec<GlobMatcher>,
    pub reason: String,
}

fn globs<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<GlobMatcher>, D::Error> {
    let patterns = Vec::<String>::deserialize(deserializer)?;
    patterns
        .iter()
        .map(|p| {
            Glob::new(p)
                .map(|g| g.compile_matcher())
                .map_err(serde::de::Error::custom)
        })
        .collect()
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let mut config: Config = toml::from_str(&text)
            .with_context(|| format!("invalid config file {}", path.display()))?;
        for (number, exclusion) in config.exclude.iter().enumerate() {
            let problem = if exclusion.reason.trim().is_empty() {
                Some("needs a `reason`".to_owned())
            } else if exclusion.rules.is_empty()
                && exclusion.paths.is_empty()
                && exclusion.namespaces.is_empty()
                && exclusion.objects.is_empty()
            {
                Some("needs at least one of `rules`, `paths`, `namespaces`, `objects`".to_owned())
            } else {
                exclusion
                    .rules
                    .iter()
                    .find(|code| !names_a_rule(code))
                    .map(|code| format!("names `{code}`, which matches no rule code"))
            };
            if let Some(problem) = problem {
                anyhow::bail!(
                    "{}: [[exclude]] number {} {problem}",
                    path.display(),
                    number + 1
                );
            }
        }
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        config.root = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        for (reference, file) in &config.images {
            if let Err(e) = ImageRef::parse(reference) {
                anyhow::bail!(
                    "{}: [images] `{reference}` is not an image reference: {e}",
                    path.display()
                );
            }
            if !config.root.join(file).exists() {
                anyhow::bail!(
                    "{}: [images] `{reference}` names {}, which does not exist",
                    path.display(),
                    file.display()
                );
            }
        }
        Ok(config)
    }

    /// `[images]` with the paths made absolute.
    pub fn image_mapping(&self) -> ImageMapping {
        ImageMapping {
            entries: self
                .images
                .iter()
                .map(|(reference, file)| Declared {
                    reference: reference.clone(),
                    file: normalized(&self.root.join(file)),
                    build: Build::default(),
                    matched: Matched::Configured,
                })
                .collect(),
        }
    }

    /// The explicit file, or the nearest `rampart.toml` in the first target's folder or above
    /// it, the way other linters find their configuration.
    pub fn discover(explicit: Option<&Path>, first_target: Option<&Path>) -> Result<Config> {
        if let Some(path) = explicit {
            return Config::load(path);
        }
        // Absolute first: the parent of a bare `pod.yaml` is the empty path.
        let target = std::path::absolute(first_target.unwrap_or(Path::new(".")))
            .context("cannot resolve the current folder")?;
        let start = if target.is_dir() {
            target.as_path()
        } else {
            target.parent().unwrap_or(&target)
        };
        for folder in start.ancestors() {
            let candidate = folder.join(CONFIG_FILE);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
        }
        Ok(Config::default())
    }
}
