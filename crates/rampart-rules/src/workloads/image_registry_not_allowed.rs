use rampart_core::registry_allowed;
use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{container_images, describe, image_pointer, quoted_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind whose image comes from outside the registries listed in
    /// `allowed-registries` under `[options]` in `rampart.toml`. With an empty list (the
    /// default) the rule is silent.
    ///
    /// Each entry is a registry host, with its port if it has one, optionally followed by a
    /// repository prefix: `ghcr.io/acme`, `registry.example.com:5000`, `docker.io/library`.
    /// Images are compared fully qualified, so `nginx` is `docker.io/library/nginx` and
    /// `index.docker.io` is `docker.io`. Prefixes match whole path segments: `ghcr.io/acme`
    /// allows `ghcr.io/acme/api` but not `ghcr.io/acme-labs/api`, and `ghcr.io` does not allow
    /// `ghcr.io.example.net/api`.
    ///
    /// ## Why it matters
    /// The registry decides who can change the code you run. Images from registries you do
    /// not control, scan and mirror can be taken down, replaced (typosquatted names are a
    /// classic), or rate-limited in the middle of an incident. Limiting images to your own
    /// registries makes admission-time checks (signatures, scans) meaningful, because nothing
    /// else gets in.
    ///
    /// ## Example
    /// With `allowed-registries = ["registry.example.com"]`:
    /// ```yaml
    /// containers:
    ///   - name: proxy
    ///     image: docker.io/someone/haproxy:2.9
    /// ```
    /// Use instead: mirror the image into an allowed registry and use it from there.
    /// ```yaml
    ///   - name: proxy
    ///     image: registry.example.com/mirror/haproxy:2.9
    /// ```
    pub struct ImageRegistryNotAllowed {
        code: "K139",
        name: "image-registry-not-allowed",
        title: "Image comes from a registry that is not allowed",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Images,
        references: refs![
            Cis: ["5.5.1"],
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.002"],
            Cwe: ["CWE-829"],
        ],
        equivalents: &["trivy:KSV-0125", "kubescape:C-0078"],
    }
}

impl Check<Objects> for ImageRegistryNotAllowed {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let allowed = &target.options.allowed_registries;
        let Some(pod) = &target.pod else { return };
        if allowed.is_empty() {
            return;
        }
        for (container, image) in container_images(pod) {
            if registry_allowed(&image, allowed) {
                continue;
            }
            hits.push(Hit::new(
                image_pointer(&container),
                format!(
                    "{} pulls `{}`, which is outside the allowed registries ({}); mirror it \
                     into one of them",
                    describe(&container),
                    image.name(),
                    quoted_list(allowed)
                ),
            ));
        }
    }
}
