use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use super::common::copy_sources;
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `ADD` instructions that download a remote file (`http://` or `https://` source)
    /// without `--checksum=sha256:…`, in any stage.
    ///
    /// ## Why it matters
    /// `ADD <url>` fetches whatever the server returns at build time, with no integrity
    /// check: a compromised or hijacked host, or a man in the middle for plain HTTP, puts its
    /// own binary into the image. The download also escapes the build cache's notion of
    /// change, so a moved file silently changes the image. BuildKit verifies the content when
    /// the expected digest is given with `--checksum`.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
    /// ```
    /// Use instead: pin the content by digest.
    /// ```dockerfile
    /// ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c \
    ///     https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
    /// ```
    pub struct AddRemoteUrl {
        code: "D105",
        name: "add-remote-url",
        title: "ADD downloads a remote file without a checksum",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.9"],
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1105"],
            Cwe: ["CWE-494"],
        ],
        equivalents: &[],
    }
}

impl Check<Dockerfiles> for AddRemoteUrl {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            for add in stage
                .instructions
                .iter()
                .filter(|i| i.keyword == Keyword::Add)
            {
                if add.flag("checksum").is_some() {
                    continue;
                }
                for source in copy_sources(add) {
                    if is_remote(source) {
                        hits.push(Hit::at_instruction(
                            add,
                            format!(
                                "`ADD {source}` downloads at build time without an integrity \
                                 check; add `--checksum=sha256:<digest>` or download with \
                                 `RUN curl` and verify the checksum"
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// An `http(s)://` source other than a git repository (`….git`, optionally `#ref`), which
/// BuildKit clones at a ref rather than downloads.
fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    let without_ref = lower.split('#').next().unwrap_or(&lower);
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !without_ref.ends_with(".git")
}
