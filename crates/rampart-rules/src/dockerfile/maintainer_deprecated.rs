use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `MAINTAINER` instructions, in every stage.
    ///
    /// ## Why it matters
    /// `MAINTAINER` is deprecated: it sets a field that OCI image tooling does not read, so
    /// the owner of the image is unknown to scanners, registries and incident responders
    /// looking for whom to call. The standard `org.opencontainers.image.authors` label is
    /// read by all of them.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    pub struct MaintainerDeprecated {
        code: "D134",
        name: "maintainer-deprecated",
        title: "MAINTAINER is deprecated",
        severity: Severity::Info,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-477"],
        ],
        equivalents: &["hadolint:DL4000", "trivy:DS-0022", "checkov:CKV_DOCKER_6"],
    }
}

impl Check<Dockerfiles> for MaintainerDeprecated {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            let maintainers = stage
                .instructions
                .iter()
                .filter(|i| i.keyword == Keyword::Maintainer);
            for maintainer in maintainers {
                hits.push(Hit::at_instruction(
                    maintainer,
                    format!(
                        "MAINTAINER is deprecated; write `LABEL \
                         org.opencontainers.image.authors=\"{}\"`",
                        maintainer.arguments.replace('"', "\\\"")
                    ),
                ));
            }
        }
    }
}
