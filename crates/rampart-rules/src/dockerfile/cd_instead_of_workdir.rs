use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{all_run_commands, shown};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `RUN` instructions, in every stage, whose commands include `cd` (also inside
    /// `sh -c` scripts).
    ///
    /// ## Why it matters
    /// A `cd` lasts for one `RUN`: the next instruction runs in the `WORKDIR` again, so later
    /// steps silently operate on another folder than the author assumed (a `rm -rf *` in the
    /// wrong place, files copied next to the wrong binary). `WORKDIR` states the folder once,
    /// visibly, for every instruction after it.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN cd /app && npm ci
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /app
    /// RUN npm ci
    /// ```
    pub struct CdInsteadOfWorkdir {
        code: "D133",
        name: "cd-instead-of-workdir",
        title: "RUN changes directory with cd",
        severity: Severity::Info,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-710"],
        ],
        equivalents: &["hadolint:DL3003", "trivy:DS-0013"],
    }
}

impl Check<Dockerfiles> for CdInsteadOfWorkdir {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        let mut reported = Vec::new();
        for (run, command) in all_run_commands(target.dockerfile) {
            let is_cd = command
                .program()
                .is_some_and(|(program, _)| program == "cd");
            if is_cd && !reported.contains(&run.line) {
                reported.push(run.line);
                hits.push(Hit::at_instruction(
                    run,
                    format!(
                        "`{}` changes directory for this RUN only; set the folder with \
                         WORKDIR",
                        shown(command)
                    ),
                ));
            }
        }
    }
}
