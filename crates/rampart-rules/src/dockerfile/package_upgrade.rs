use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, runs_with_invocations};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `RUN` commands, in every stage, that upgrade every installed package:
    /// `apt-get upgrade`, `apt-get dist-upgrade`, `apt full-upgrade`, `apk upgrade`, and
    /// `yum`/`dnf` `update` or `upgrade` without package names.
    ///
    /// ## Why it matters
    /// The upgrade pulls whatever the mirrors serve that day into a layer of its own: the
    /// image no longer corresponds to its base image's scan or SBOM, two builds of one commit
    /// differ, and an upgrade of core packages inside an unprivileged build can half-fail.
    /// Security fixes belong in the base image: rebuild on a patched base (pinned by digest,
    /// updated by a bot) instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get -y dist-upgrade
    /// ```
    /// Use instead: a current, pinned base image.
    /// ```dockerfile
    /// FROM debian:12.7-slim@sha256:<digest>
    /// ```
    pub struct PackageUpgrade {
        code: "D123",
        name: "package-upgrade",
        title: "RUN upgrades all packages",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.7"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["trivy:DS-0024"],
    }
}

impl Check<Dockerfiles> for PackageUpgrade {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for (run, invocations) in runs_with_invocations(&target.dockerfile.stages) {
            for found in &invocations {
                let upgrades = match found.manager {
                    Manager::Apt => {
                        matches!(
                            found.subcommand,
                            "upgrade" | "dist-upgrade" | "full-upgrade"
                        )
                    }
                    Manager::Apk => found.subcommand == "upgrade",
                    Manager::Yum => {
                        matches!(found.subcommand, "update" | "upgrade")
                            && found.operands.is_empty()
                    }
                    _ => false,
                };
                if upgrades {
                    hits.push(Hit::at_instruction(
                        run,
                        format!(
                            "`{} {}` upgrades every package at build time, so the image \
                             drifts from its base; rebuild on a patched, pinned base image \
                             instead",
                            found.program, found.subcommand
                        ),
                    ));
                }
            }
        }
    }
}
