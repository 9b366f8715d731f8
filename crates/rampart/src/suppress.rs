//! Silencing findings that a reviewer accepted: `rampart.toml` exclusions and baseline files.
//! (Object annotations are applied by the rule engine, which has the object at hand.)

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};
use rampart_core::{Finding, Suppression, SuppressionSource};
use serde::{Deserialize, Serialize};

use crate::config::{Config, Exclusion};

/// Marks findings matched by an exclusion of the config.
pub fn apply_config(findings: &mut [Finding], config: &Config) {
    if config.exclude.is_empty() {
        return;
    }
    let root = std::path::absolute(&config.root).unwrap_or_else(|_| config.root.clone());
    for finding in findings.iter_mut().filter(|f| f.suppression.is_none()) {
        if let Some(exclusion) = config.exclude.iter().find(|e| excludes(e, finding, &root)) {
            finding.suppression = Some(Suppression {
                source: SuppressionSource::Config,
                reason: Some(exclusion.reason.clone()),
            });
        }
    }
}

fn excludes(exclusion: &Exclusion, finding: &Finding, root: &Path) -> bool {
    let rule = exclusion.rules.is_empty()
        || exclusion
            .rules
            .iter()
            .any(|prefix| finding.rule.code.starts_with(prefix.as_str()));
    let path = exclusion.paths.is_empty() || {
        let file = Path::new(&*finding.location.path);
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let relative = absolute.strip_prefix(root).unwrap_or(file);
        let template = finding.location.template.as_deref().map(Path::new);
        exclusion
            .paths
            .iter()
            .any(|glob| glob.is_match(relative) || template.is_some_and(|t| glob.is_match(t)))
    };
    let object = finding.object.as_ref();
    let namespace = exclusion.namespaces.is_empty()
        || object
            .and_then(|o| o.namespace.as_deref())
            .is_some_and(|ns| exclusion.namespaces.iter().any(|glob| glob.is_match(ns)));
    let named = exclusion.objects.is_empty()
        || object.is_some_and(|o| {
            let name = o.to_string();
            exclusion.objects.iter().any(|glob| glob.is_match(&name))
        });
    rule && path && namespace && named
}

/// A file of fingerprints of accepted findings, so that CI fails only on new ones.
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub schema_version: u32,
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding; code, path and message are there for the reviewer.
#[derive(Debug, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    pub message: String,
}

impl Baseline {
    pub fn of(findings: &[Finding]) -> Baseline {
        Baseline {
            schema_version: 1,
            findings: findings
                .iter()
                .map(|f| BaselineEntry {
                    fingerprint: f.fingerprint.to_string(),
                    code: f.rule.code.to_owned(),
                    path: f.location.path.to_string(),
                    message: f.message.to_string(),
                })
                .collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read baseline {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("invalid baseline {}", path.display()))
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        std::fs::write(path, text)
            .with_context(|| format!("cannot write baseline {}", path.display()))
    }

    /// Marks the findings the baseline already holds.
    pub fn apply(&self, findings: &mut [Finding]) {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        for finding in findings.iter_mut().filter(|f| f.suppression.is_none()) {
            if known.contains(finding.fingerprint.as_str()) {
                finding.suppression = Some(Suppression {
                    source: SuppressionSource::Baseline,
                    reason: None,
                });
            }
        }
    }
}
