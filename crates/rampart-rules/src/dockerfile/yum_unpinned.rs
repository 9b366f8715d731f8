use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, is_path_or_url, report_unpinned};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `yum install`, `dnf install` and `microdnf install` commands, in every stage, that
    /// name a package without a version (`httpd` rather than `httpd-2.4.62`: a version is a
    /// `-` followed by a digit). Local `.rpm` files, paths and URLs are not reported.
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
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.62 && dnf clean all
    /// ```
    pub struct YumUnpinned {
        code: "D117",
        name: "yum-unpinned",
        title: "yum or dnf install without pinned versions",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Dependencies,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.001"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3033", "hadolint:DL3041"],
    }
}

impl Check<Dockerfiles> for YumUnpinned {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        report_unpinned(
            &target.dockerfile.stages,
            Manager::Yum,
            |_, package| rpm_pinned(package),
            "`httpd-2.4.62`",
            hits,
        );
    }
}

/// `name-version` (a `-` followed by a digit), an `.rpm` file, a path or a URL.
fn rpm_pinned(package: &str) -> bool {
    package.ends_with(".rpm")
        || is_path_or_url(package)
        || package
            .match_indices('-')
            .any(|(at, _)| package[at + 1..].starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_a_dash() {
        assert!(rpm_pinned("httpd-2.4.62"));
        assert!(rpm_pinned("python3-pip-21.3.1"));
        assert!(!rpm_pinned("python3-pip"));
        assert!(!rpm_pinned("httpd"));
    }
}
