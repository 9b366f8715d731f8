use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `WORKDIR` instructions, in every stage, whose path (build arguments and environment
    /// substituted) is relative. Windows paths (`C:\app`) count as absolute; a path given by
    /// a variable without a value is not judged.
    ///
    /// ## Why it matters
    /// A relative `WORKDIR` is resolved against the previous one, which the base image
    /// chooses: the same Dockerfile writes files to different places on another base or after
    /// an upstream change, and scripts run from a directory nobody reviewed.
    ///
    /// ## Example
    /// ```dockerfile
    /// WORKDIR app
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /app
    /// ```
    pub struct WorkdirRelative {
        code: "D128",
        name: "workdir-relative",
        title: "WORKDIR path is relative",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-710"],
        ],
        equivalents: &["hadolint:DL3000", "trivy:DS-0009", "checkov:CKV_DOCKER_10"],
    }
}

impl Check<Dockerfiles> for WorkdirRelative {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            for workdir in stage
                .instructions
                .iter()
                .filter(|i| i.keyword == Keyword::Workdir)
            {
                if workdir.words.unresolved {
                    continue;
                }
                let path = workdir.words.words.join(" ");
                let windows = path.chars().nth(1) == Some(':');
                if !path.starts_with('/') && !windows {
                    hits.push(Hit::at_instruction(
                        workdir,
                        format!(
                            "`WORKDIR {path}` is relative to whatever the previous WORKDIR \
                             was; use an absolute path such as `/{path}`"
                        ),
                    ));
                }
            }
        }
    }
}
