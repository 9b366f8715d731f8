use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, is_path_or_url, report_unpinned};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `npm install` (`npm i`, `npm add`) commands, in every stage, that name a package
    /// without a version (`express` or `express@latest` rather than `express@4.19.2`).
    /// `npm install` and `npm ci` without package names install from the lockfile and are
    /// not reported, nor are paths, tarballs and git or HTTP URLs.
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
    /// RUN npm install -g pm2
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN npm install -g pm2@5.4.2
    /// ```
    pub struct NpmUnpinned {
        code: "D115",
        name: "npm-unpinned",
        title: "npm install of a package without a pinned version",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Dependencies,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.001"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3016"],
    }
}

impl Check<Dockerfiles> for NpmUnpinned {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        report_unpinned(
            &target.dockerfile.stages,
            Manager::Npm,
            |_, package| npm_pinned(package),
            "`express@4.19.2`, or `npm ci` with a lockfile",
            hits,
        );
    }
}

/// `name@version` (the `@` of a scope does not count) with a version that is not a dist-tag
/// such as `latest`, or a path, tarball or URL.
fn npm_pinned(package: &str) -> bool {
    let lower = package.to_ascii_lowercase();
    if is_path_or_url(package)
        || lower.ends_with(".tgz")
        || lower.starts_with("git+")
        || lower.starts_with("github:")
    {
        return true;
    }
    let unscoped = package.strip_prefix('@').unwrap_or(package);
    match unscoped.split_once('@') {
        Some((_, version)) => !matches!(version, "" | "latest" | "next" | "*"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_after_the_name() {
        assert!(npm_pinned("express@4.19.2"));
        assert!(npm_pinned("@nestjs/cli@10.3.2"));
        assert!(!npm_pinned("@nestjs/cli"));
        assert!(!npm_pinned("express@latest"));
        assert!(!npm_pinned("express"));
        assert!(npm_pinned("./vendor/pkg.tgz"));
    }
}
