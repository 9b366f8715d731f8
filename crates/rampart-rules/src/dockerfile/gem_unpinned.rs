use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, is_path_or_url, report_unpinned};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `gem install` commands, in every stage, that name a gem without a version: neither
    /// `-v`/`--version` nor the `name:version` form. Local `.gem` files are not reported.
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
    /// RUN gem install bundler
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN gem install bundler -v 2.5.6
    /// ```
    pub struct GemUnpinned {
        code: "D116",
        name: "gem-unpinned",
        title: "gem install without pinned versions",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Dependencies,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.001"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3028"],
    }
}

impl Check<Dockerfiles> for GemUnpinned {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        report_unpinned(
            &target.dockerfile.stages,
            Manager::Gem,
            |install, package| {
                install.has(Some('v'), &["version"])
                    || package.contains(':')
                    || package.ends_with(".gem")
                    || is_path_or_url(package)
            },
            "`gem install rails -v 7.1.3`, or `rails:7.1.3`",
            hits,
        );
    }
}
