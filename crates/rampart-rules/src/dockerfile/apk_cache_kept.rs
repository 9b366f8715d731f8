use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{mounts_cache_over, shipped_stages};
use super::packages::{Manager, removes, runs_with_invocations};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `apk add` in the stages that ship in the image (the final stage and the stages it is
    /// built `FROM`) without `--no-cache`, unless the same `RUN` removes `/var/cache/apk` or
    /// mounts a cache over it.
    ///
    /// ## Why it matters
    /// Without `--no-cache`, `apk` stores the package index (and with `apk update` first, a
    /// stale one) under `/var/cache/apk` in the layer: dead weight in every pull, and the
    /// `apk update` + `apk add` pair it usually comes with is two steps where one does.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk update && apk add curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    pub struct ApkCacheKept {
        code: "D121",
        name: "apk-cache-kept",
        title: "apk cache left in the image",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-1164"],
        ],
        equivalents: &["hadolint:DL3019", "trivy:DS-0025"],
    }
}

impl Check<Dockerfiles> for ApkCacheKept {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        const CACHE: &str = "/var/cache/apk";
        for (run, invocations) in runs_with_invocations(shipped_stages(target.dockerfile)) {
            if removes(run, CACHE) || mounts_cache_over(run, CACHE) {
                continue;
            }
            let adds = invocations
                .iter()
                .filter(|i| i.manager == Manager::Apk && i.installs());
            for add in adds {
                if !add.has(None, &["no-cache"]) {
                    hits.push(Hit::at_instruction(
                        run,
                        "`apk add` without `--no-cache` leaves the package index in \
                         /var/cache/apk; use `apk add --no-cache` (no `apk update` needed)",
                    ));
                }
            }
        }
    }
}
