use rampart_core::ImageRef;
use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Base;

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `FROM` lines whose image is not pinned by a well-formed digest (`@sha256:` and 64 hex
    /// digits). A tag alone (`node:20.11-alpine`) is a name the publisher can point at other
    /// content at any time. `scratch` and earlier stages are not images; build arguments are
    /// substituted with their defaults. A tag of `latest` (or none) is rule D102, which takes
    /// precedence.
    ///
    /// ## Why it matters
    /// Tags are mutable: the image under a tag is rebuilt for patches, and can be replaced
    /// by whoever controls the repository or the registry. A digest names the content: the
    /// build uses exactly the bytes that were reviewed and scanned, and updating becomes a
    /// visible change (Renovate and Dependabot update digests).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22@sha256:<digest>
    /// ```
    pub struct BaseImageNotPinned {
        code: "D103",
        name: "base-image-not-pinned",
        title: "Base image is not pinned by digest",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.2"],
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.002"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &[],
    }
}

impl Check<Dockerfiles> for BaseImageNotPinned {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            let Base::Image(reference) = &stage.base else {
                continue;
            };
            let Ok(image) = ImageRef::parse(reference) else {
                continue;
            };
            if image.is_pinned() {
                continue;
            }
            hits.push(Hit::at_instruction(
                &stage.from,
                format!(
                    "base image `{reference}` is not pinned by digest: the tag can move to \
                     other content; append `@sha256:<digest>`"
                ),
            ));
        }
    }
}
