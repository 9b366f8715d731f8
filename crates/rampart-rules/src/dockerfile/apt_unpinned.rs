use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, is_path_or_url, report_unpinned};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `apt-get install` and `apt install` commands, in every stage, that name a package
    /// without a version (`curl` rather than `curl=8.5.0-2`). Local `.deb` files and paths
    /// are not packages from a repository and are not reported.
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
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-2
    /// ```
    pub struct AptUnpinned {
        code: "D112",
        name: "apt-unpinned",
        title: "apt-get install without pinned versions",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Dependencies,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.001"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3008"],
    }
}

impl Check<Dockerfiles> for AptUnpinned {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        report_unpinned(
            &target.dockerfile.stages,
            Manager::Apt,
            |_, package| {
                package.contains('=') || package.ends_with(".deb") || is_path_or_url(package)
            },
            "`curl=8.5.0-2`",
            hits,
        );
    }
}
