use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{container_images, describe, image_pointer};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind whose image is not pinned by a well-formed digest:
    /// `@sha256:` followed by 64 hexadecimal digits (or `@sha512:` and 128). A malformed
    /// digest is reported as such. Images on `latest` (or with no tag) are reported by `K137`
    /// instead.
    ///
    /// ## Why it matters
    /// Tags are mutable pointers: whoever controls the repository (its owner, a leaked push
    /// credential, a compromised CI job) can move `1.4.2` to different content, and every node
    /// that pulls afterwards runs it. A digest names the content itself; the runtime verifies
    /// it on pull, so the manifest that was reviewed is the code that runs, on every node.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: ghcr.io/acme/api:3.1.0
    /// ```
    /// Use instead (tools such as `crane digest` or `docker buildx imagetools inspect` print
    /// the digest; Renovate and Dependabot keep it current):
    /// ```yaml
    ///   - name: api
    ///     image: ghcr.io/acme/api:3.1.0@sha256:<digest>
    /// ```
    pub struct ImageNotPinned {
        code: "K138",
        name: "image-not-pinned",
        title: "Image is not pinned by digest",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Images,
        references: refs![
            Cis: ["5.5.1"],
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1525"],
            Cwe: ["CWE-494"],
        ],
        equivalents: &["checkov:CKV_K8S_43", "kubescape:C-0306"],
    }
}

impl Check<Objects> for ImageNotPinned {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        for (container, image) in container_images(pod) {
            if image.is_pinned() {
                continue;
            }
            let message = match image.digest {
                Some(digest) => format!(
                    "{} uses image `{}` with a malformed digest `{digest}`; use `@sha256:` \
                     followed by 64 hexadecimal digits",
                    describe(&container),
                    image.name()
                ),
                None => format!(
                    "{} uses image `{}:{}` without a digest, so the tag can be moved to other \
                     content; append `@sha256:<digest>`",
                    describe(&container),
                    image.name(),
                    image.effective_tag().unwrap_or("latest")
                ),
            };
            hits.push(Hit::new(image_pointer(&container), message));
        }
    }
}
