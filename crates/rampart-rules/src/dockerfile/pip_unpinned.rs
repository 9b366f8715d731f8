use rampart_core::{Concern, Layer, Severity, refs};

use super::packages::{Manager, is_path_or_url, report_unpinned};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `pip install` commands (`pip`, `pip3`, `python -m pip`), in every stage, that name a
    /// package without an exact version (`flask` or `flask>=3` rather than `flask==3.0.3` or
    /// `flask~=3.0.3`). Requirements and constraint files (`-r`, `-c`), editable installs,
    /// paths, archives, wheels and direct URLs (`pkg @ https://...`, `git+https://...`) are not
    /// reported.
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
    /// RUN pip install --no-cache-dir flask gunicorn
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0
    /// ```
    pub struct PipUnpinned {
        code: "D114",
        name: "pip-unpinned",
        title: "pip install without pinned versions",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Dependencies,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.001"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3013"],
    }
}

impl Check<Dockerfiles> for PipUnpinned {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        report_unpinned(
            &target.dockerfile.stages,
            Manager::Pip,
            |_, package| pip_pinned(package),
            "`flask==3.0.3`, or a requirements file with hashes",
            hits,
        );
    }
}

/// An exact version (`==`, `===`, `~=`), a direct reference (`@`), or a file or URL.
fn pip_pinned(package: &str) -> bool {
    let lower = package.to_ascii_lowercase();
    package.contains("==")
        || package.contains("~=")
        || package.contains('@')
        || lower.starts_with("git+")
        || [".whl", ".tar.gz", ".zip"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        || is_path_or_url(package)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_versions_and_references_are_pinned() {
        assert!(pip_pinned("flask==3.0.3"));
        assert!(pip_pinned("flask~=3.0.3"));
        assert!(pip_pinned("./dist/app-1.0-py3-none-any.whl"));
        assert!(pip_pinned("git+https://github.com/a/b@v1"));
        assert!(!pip_pinned("flask"));
        assert!(!pip_pinned("flask>=3"));
    }
}
