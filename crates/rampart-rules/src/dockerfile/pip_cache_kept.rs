use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use super::common::{mounts_cache_over, shipped_stages};
use super::packages::{Manager, runs_with_invocations};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `pip install` in the stages that ship in the image (the final stage and the stages it
    /// is built `FROM`) without `--no-cache-dir`, unless `PIP_NO_CACHE_DIR` is set by an `ENV`
    /// of those stages or the `RUN` mounts a cache over `/root/.cache`.
    ///
    /// ## Why it matters
    /// pip keeps every downloaded wheel in `~/.cache/pip`, which the layer then ships: often
    /// as large as the installed packages themselves, for nothing, since the image never
    /// installs again.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN pip install -r requirements.txt
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    pub struct PipCacheKept {
        code: "D120",
        name: "pip-cache-kept",
        title: "pip cache left in the image",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-1164"],
        ],
        equivalents: &["hadolint:DL3042"],
    }
}

impl Check<Dockerfiles> for PipCacheKept {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        let stages = shipped_stages(target.dockerfile);
        let env_disables_cache = stages.iter().flat_map(|s| &s.instructions).any(|i| {
            i.keyword == Keyword::Env
                && i.pairs().iter().any(|(name, _)| name == "PIP_NO_CACHE_DIR")
        });
        if env_disables_cache {
            return;
        }
        for (run, invocations) in runs_with_invocations(stages) {
            if mounts_cache_over(run, "/root/.cache/pip") {
                continue;
            }
            for install in invocations
                .iter()
                .filter(|i| i.manager == Manager::Pip && i.installs())
            {
                if !install.has(None, &["no-cache-dir"]) {
                    hits.push(Hit::at_instruction(
                        run,
                        format!(
                            "`{} install` keeps downloaded packages in ~/.cache/pip inside \
                             the layer; add `--no-cache-dir`",
                            install.program
                        ),
                    ));
                }
            }
        }
    }
}
