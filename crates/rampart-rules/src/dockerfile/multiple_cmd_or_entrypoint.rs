use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// Stages with more than one `CMD` or more than one `ENTRYPOINT`: every one but the last
    /// is reported, since only the last takes effect.
    ///
    /// ## Why it matters
    /// A reviewer reading the first `CMD` believes the image starts something it does not;
    /// the overridden instruction is usually a leftover from debugging (a shell, a
    /// `sleep infinity`) that a later edit can bring back by deleting the line below it.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["sleep", "infinity"]
    /// CMD ["node", "server.js"]
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// CMD ["node", "server.js"]
    /// ```
    pub struct MultipleCmdOrEntrypoint {
        code: "D129",
        name: "multiple-cmd-or-entrypoint",
        title: "More than one CMD or ENTRYPOINT in a stage",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-561"],
        ],
        equivalents: &[
            "hadolint:DL4003",
            "hadolint:DL4004",
            "trivy:DS-0007",
            "trivy:DS-0016",
        ],
    }
}

impl Check<Dockerfiles> for MultipleCmdOrEntrypoint {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            for keyword in [Keyword::Cmd, Keyword::Entrypoint] {
                let all: Vec<_> = stage
                    .instructions
                    .iter()
                    .filter(|i| i.keyword == keyword)
                    .collect();
                let Some((last, overridden)) = all.split_last() else {
                    continue;
                };
                for instruction in overridden {
                    hits.push(Hit::at_instruction(
                        instruction,
                        format!(
                            "this {0} is overridden by the {0} on line {1} and never runs; \
                             remove it",
                            keyword.as_str(),
                            last.line
                        ),
                    ));
                }
            }
        }
    }
}
