use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, runs_with_invocations};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `apt-get install` and `apt install`, in every stage, without `-y` (`--yes`,
    /// `--assume-yes`) or `-qq`, which implies it.
    ///
    /// ## Why it matters
    /// Without it apt asks for confirmation and, with no terminal in the build, aborts as
    /// soon as the install needs more than the named packages: the build breaks on an
    /// unrelated dependency change, and people "fix" it with options such as `--force-yes`
    /// that also skip signature checks.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    pub struct AptWithoutYes {
        code: "D132",
        name: "apt-without-yes",
        title: "apt install without -y",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3014", "trivy:DS-0021"],
    }
}

impl Check<Dockerfiles> for AptWithoutYes {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for (run, invocations) in runs_with_invocations(&target.dockerfile.stages) {
            for install in invocations
                .iter()
                .filter(|i| i.manager == Manager::Apt && i.installs())
            {
                let yes = install.has(Some('y'), &["yes", "assume-yes"])
                    || install
                        .options
                        .iter()
                        .any(|o| *o == "-qq" || o.starts_with("--quiet=2"));
                if !yes {
                    hits.push(Hit::at_instruction(
                        run,
                        format!(
                            "`{} install` without `-y` waits for a confirmation the build \
                             cannot give; add `-y`",
                            install.program
                        ),
                    ));
                }
            }
        }
    }
}
