use rampart_core::ImageRef;
use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Base;

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `FROM` lines whose image has no tag (`FROM node`, which pulls `latest`) or the tag
    /// `latest`, without a digest. Build arguments are substituted with their defaults
    /// (`FROM node:${VERSION}`); `scratch` and references to earlier stages are not images.
    ///
    /// ## Why it matters
    /// `latest` moves: the same Dockerfile builds a different image tomorrow, possibly a new
    /// major version, possibly one published by an attacker who took over the repository.
    /// Builds stop being reproducible and reviewable, and a rollback rebuilds something else.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python
    /// ```
    /// Use instead: a version, and a digest to make it immutable.
    /// ```dockerfile
    /// FROM python:3.12-slim@sha256:<digest>
    /// ```
    pub struct BaseImageLatest {
        code: "D102",
        name: "base-image-latest",
        title: "Base image uses the latest tag",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.2"],
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.002"],
            Cwe: ["CWE-1357"],
        ],
        equivalents: &[
            "hadolint:DL3006",
            "hadolint:DL3007",
            "trivy:DS-0001",
            "checkov:CKV_DOCKER_7",
        ],
    }
}

impl Check<Dockerfiles> for BaseImageLatest {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            let Base::Image(reference) = &stage.base else {
                continue;
            };
            let Ok(image) = ImageRef::parse(reference) else {
                continue;
            };
            if image.digest.is_some() || image.effective_tag() != Some("latest") {
                continue;
            }
            let how = if image.tag.is_none() {
                "has no tag, so it pulls `latest`"
            } else {
                "uses the `latest` tag"
            };
            hits.push(Hit::at_instruction(
                &stage.from,
                format!(
                    "base image `{reference}` {how}, which changes under you; name a version \
                     and pin it by digest (`{}:<version>@sha256:…`)",
                    image.name()
                ),
            ));
        }
    }
}
