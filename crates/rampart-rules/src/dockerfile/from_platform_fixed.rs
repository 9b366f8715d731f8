use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `FROM` lines with a `--platform` written as a literal (`--platform=linux/amd64`)
    /// rather than a build argument such as `$BUILDPLATFORM` or `$TARGETPLATFORM`.
    ///
    /// ## Why it matters
    /// A fixed platform makes the image for one architecture whatever the build asks for:
    /// on arm64 nodes it runs under emulation or not at all, and multi-platform builds ship
    /// an amd64 binary in the arm64 image. Deployments then fall back to whatever image
    /// happens to run, often an older, unscanned one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 golang:1.22 AS build
    /// ```
    /// Use instead: build on the builder's platform and cross-compile for the target.
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    /// ARG TARGETOS TARGETARCH
    /// RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
    /// ```
    pub struct FromPlatformFixed {
        code: "D135",
        name: "from-platform-fixed",
        title: "FROM fixes the platform",
        severity: Severity::Info,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-1357"],
        ],
        equivalents: &["hadolint:DL3029"],
    }
}

impl Check<Dockerfiles> for FromPlatformFixed {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            let Some(platform) = &stage.platform else {
                continue;
            };
            if platform.contains('$') {
                continue;
            }
            hits.push(Hit::at_instruction(
                &stage.from,
                format!(
                    "`--platform={platform}` builds this stage for one platform whatever the \
                     build targets; use `--platform=$BUILDPLATFORM` or `$TARGETPLATFORM`"
                ),
            ));
        }
    }
}
