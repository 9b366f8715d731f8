use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, runs_with_invocations};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `RUN` instructions, in every stage, that refresh the package index (`apt-get update`,
    /// `apt update`, `apk update`) without installing anything in the same instruction.
    ///
    /// ## Why it matters
    /// The build cache keeps the layer of a `RUN apt-get update` as long as its text does
    /// not change: a later `RUN apt-get install` then works from an index that can be months
    /// old, installing outdated (vulnerable) versions, or fails when the mirror dropped them.
    /// Updating and installing in one `RUN` refreshes the index whenever the package list
    /// changes.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl=8.5.0-2
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl=8.5.0-2 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct UpdateAlone {
        code: "D124",
        name: "update-alone",
        title: "Package index updated in a RUN of its own",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.7"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["trivy:DS-0017", "checkov:CKV_DOCKER_5"],
    }
}

impl Check<Dockerfiles> for UpdateAlone {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for (run, invocations) in runs_with_invocations(&target.dockerfile.stages) {
            for manager in [Manager::Apt, Manager::Apk] {
                let of_manager = || invocations.iter().filter(|i| i.manager == manager);
                let update = of_manager().find(|i| i.subcommand == "update");
                let installs = of_manager().any(|i| i.installs());
                if let Some(update) = update
                    && !installs
                {
                    hits.push(Hit::at_instruction(
                        run,
                        format!(
                            "`{} update` runs without an install in the same RUN, so a \
                             cached layer can serve a stale index to later installs; update \
                             and install in one RUN",
                            update.program
                        ),
                    ));
                }
            }
        }
    }
}
