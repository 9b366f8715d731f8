use rampart_core::{Concern, Layer, Severity, refs};

use super::common::shipped_stages;
use super::packages::{Manager, runs_with_invocations};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `apt-get install` and `apt install` in the stages that ship in the image (the final
    /// stage and the stages it is built `FROM`) without `--no-install-recommends` (or
    /// `-o APT::Install-Recommends=false`).
    ///
    /// ## Why it matters
    /// Debian and Ubuntu install "recommended" packages by default: documentation, extra
    /// tools, sometimes daemons and interpreters the application never uses. Every extra
    /// package is attack surface and a source of vulnerability reports to triage.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct AptInstallRecommends {
        code: "D119",
        name: "apt-install-recommends",
        title: "apt installs recommended packages",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.3"],
            Nsa: ["building-secure-container-images"],
            Cwe: ["CWE-1164"],
        ],
        equivalents: &["hadolint:DL3015", "trivy:DS-0029"],
    }
}

impl Check<Dockerfiles> for AptInstallRecommends {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for (run, invocations) in runs_with_invocations(shipped_stages(target.dockerfile)) {
            let words: Vec<&String> = run
                .script
                .iter()
                .flat_map(|s| s.commands())
                .flat_map(|c| &c.words)
                .collect();
            let configured = words.iter().any(|w| {
                let lower = w.to_ascii_lowercase();
                lower == "apt::install-recommends=false" || lower == "apt::install-recommends=0"
            });
            for install in invocations
                .iter()
                .filter(|i| i.manager == Manager::Apt && i.installs())
            {
                if configured || install.has(None, &["no-install-recommends"]) {
                    continue;
                }
                hits.push(Hit::at_instruction(
                    run,
                    format!(
                        "`{} install` without `--no-install-recommends` also installs \
                         recommended packages the image does not need; add the option",
                        install.program
                    ),
                ));
            }
        }
    }
}
