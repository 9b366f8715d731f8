use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, is_path_or_url, report_unpinned};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `apk add` commands, in every stage, that name a package without a version
    /// constraint (`curl` rather than `curl=8.9.1-r0` or `curl~8.9`). Local `.apk` files and
    /// paths are not reported.
    ///
    /// ## Why it matters
    /// An unpinned install takes whatever version the repository serves on the day of the
    /// build: two builds of the same commit differ, a vulnerable or compromised release
    /// enters silently, and a security review of the Dockerfile says nothing about what the
    /// image contains. Pinned versions make updates explicit changes that can be reviewed,
    /// scanned and rolled back.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl~8.9
    /// ```
    pub struct ApkUnpinned {
        code: "D113",
        name: "apk-unpinned",
        title: "apk add without pinned versions",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Dependencies,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.001"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3018"],
    }
}

impl Check<Dockerfiles> for ApkUnpinned {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        report_unpinned(
            &target.dockerfile.stages,
            Manager::Apk,
            |_, package| {
                package.contains(['=', '~', '<', '>'])
                    || package.ends_with(".apk")
                    || is_path_or_url(package)
            },
            "`curl=8.9.1-r0`, or `curl~8.9`",
            hits,
        );
    }
}
