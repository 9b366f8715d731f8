use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use super::common::{copy_sources, shown_instruction};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `ADD` instructions whose sources are all local files or folders that are not tar
    /// archives: `COPY` does the same without `ADD`'s implicit behaviours. Adding a local
    /// archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`, `.tar.zst`...) is what `ADD`
    /// is for: it unpacks it. Remote URLs are rule D105; git repositories are not reported.
    ///
    /// ## Why it matters
    /// `ADD` unpacks any local file it recognises as an archive and fetches URLs. A file that
    /// happens to be (or becomes) a tarball is expanded into the image instead of copied,
    /// possibly over system paths, and a source later changed to a URL downloads code at
    /// build time. `COPY` only copies, which is what a reviewer expects to read.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD app.py /app/
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// COPY app.py /app/
    /// ```
    pub struct AddInsteadOfCopy {
        code: "D106",
        name: "add-instead-of-copy",
        title: "ADD used where COPY is enough",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.9"],
            Nsa: ["building-secure-container-images"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3020", "trivy:DS-0005", "checkov:CKV_DOCKER_4"],
    }
}

/// Extensions `ADD` unpacks.
const ARCHIVES: [&str; 12] = [
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
    ".tar.lz",
    ".tar.lzma",
];

impl Check<Dockerfiles> for AddInsteadOfCopy {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            for add in stage
                .instructions
                .iter()
                .filter(|i| i.keyword == Keyword::Add)
            {
                let sources: Vec<&str> = copy_sources(add).collect();
                let plain_local = |source: &&str| {
                    let lower = source.to_ascii_lowercase();
                    !lower.contains("://")
                        && !lower.starts_with("git@")
                        && !ARCHIVES.iter().any(|ext| lower.ends_with(ext))
                };
                if sources.is_empty() && add.heredocs.is_empty() {
                    continue;
                }
                if sources.iter().all(plain_local) {
                    hits.push(Hit::at_instruction(
                        add,
                        format!(
                            "`{}` copies local files, which COPY does without unpacking \
                             archives or fetching URLs; use COPY",
                            shown_instruction(add)
                        ),
                    ));
                }
            }
        }
    }
}
