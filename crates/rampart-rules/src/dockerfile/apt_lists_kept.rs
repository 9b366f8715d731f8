use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{mounts_cache_over, shipped_stages};
use super::packages::{Manager, removes, runs_with_invocations};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `RUN` instructions of the stages that ship in the image (the final stage and the
    /// stages it is built `FROM`) that run `apt-get update` or `apt-get install` (or `apt`)
    /// without removing the package lists in the same instruction (`rm -rf
    /// /var/lib/apt/lists/*`) and without a cache mount over `/var/lib/apt`.
    ///
    /// ## Why it matters
    /// The lists are tens of megabytes committed into the layer: a bigger image to pull and
    /// store, and stale package metadata that tells an attacker with a shell exactly which
    /// versions to expect. Removing them in a later `RUN` does not shrink the earlier layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct AptListsKept {
        code: "D118",
        name: "apt-lists-kept",
        title: "apt package lists left in the image",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.3"],
            Cwe: ["CWE-1164"],
        ],
        equivalents: &["hadolint:DL3009"],
    }
}

impl Check<Dockerfiles> for AptListsKept {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        const LISTS: &str = "/var/lib/apt/lists";
        for (run, invocations) in runs_with_invocations(shipped_stages(target.dockerfile)) {
            let uses_lists = invocations
                .iter()
                .any(|i| i.manager == Manager::Apt && (i.installs() || i.subcommand == "update"));
            if uses_lists && !removes(run, LISTS) && !mounts_cache_over(run, LISTS) {
                hits.push(Hit::at_instruction(
                    run,
                    "this RUN downloads apt package lists and leaves them in the layer; end it \
                     with `&& rm -rf /var/lib/apt/lists/*`",
                ));
            }
        }
    }
}
