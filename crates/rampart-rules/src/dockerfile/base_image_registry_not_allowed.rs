use rampart_core::{Concern, Layer, Severity, refs};
use rampart_core::{ImageRef, registry_allowed};
use rampart_source::Base;

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `FROM` lines whose image comes from outside the registries listed in
    /// `allowed-registries` under `[options]` in `rampart.toml`, the same list rule K139
    /// applies to the images workloads run. With an empty list (the default) the rule is
    /// silent. Entries are a registry host with an optional repository prefix
    /// (`registry.example.com/base`, `docker.io/library`), matched at path-segment boundaries
    /// against the fully qualified image (`node` is `docker.io/library/node`). `scratch`,
    /// earlier stages and references that depend on a build argument without a default are
    /// not checked.
    ///
    /// ## Why it matters
    /// The base image is code you run with the privileges of your build and your workload. A
    /// base from an arbitrary registry or namespace can be typosquatted, replaced or
    /// withdrawn; pulling bases only from registries you mirror and scan puts every byte of
    /// the image under your own review and signing.
    ///
    /// ## Example
    /// With `allowed-registries = ["registry.example.com"]`:
    /// ```dockerfile
    /// FROM someone/python-tools:3.12
    /// ```
    /// Use instead: mirror the base into an allowed registry.
    /// ```dockerfile
    /// FROM registry.example.com/mirror/python:3.12-slim
    /// ```
    pub struct BaseImageRegistryNotAllowed {
        code: "D104",
        name: "base-image-registry-not-allowed",
        title: "Base image comes from a registry that is not allowed",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.2"],
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.002"],
            Cwe: ["CWE-829"],
        ],
        equivalents: &["hadolint:DL3026"],
    }
}

impl Check<Dockerfiles> for BaseImageRegistryNotAllowed {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        let allowed = &target.options.allowed_registries;
        if allowed.is_empty() {
            return;
        }
        for stage in &target.dockerfile.stages {
            let Base::Image(reference) = &stage.base else {
                continue;
            };
            let Ok(image) = ImageRef::parse(reference) else {
                continue;
            };
            if registry_allowed(&image, allowed) {
                continue;
            }
            let listed: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
            hits.push(Hit::at_instruction(
                &stage.from,
                format!(
                    "base image `{}` is outside the allowed registries ({}); mirror it into \
                     one of them",
                    image.name(),
                    listed.join(", ")
                ),
            ));
        }
    }
}
