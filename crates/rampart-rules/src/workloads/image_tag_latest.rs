use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{container_images, describe, image_pointer};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind whose image has the tag `latest`, or no tag and no digest (which
    /// the runtime pulls as `latest`). An image pinned by digest passes whatever its tag: the
    /// digest decides what runs. Such an image is unpinned too; `K138` leaves it to this rule.
    ///
    /// ## Why it matters
    /// `latest` names whatever was pushed last. Two replicas of the same Deployment may run
    /// different code, a rollback goes nowhere, and nobody can say which version (with which
    /// vulnerabilities) is in production. Anyone able to push to the repository changes what
    /// the cluster runs at the next pod start, without any change to the manifest being
    /// reviewed.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: web
    ///     image: nginx
    /// ```
    /// Use instead: a version tag, better still with its digest.
    /// ```yaml
    ///   - name: web
    ///     image: nginx:1.27.3@sha256:<digest>
    /// ```
    pub struct ImageTagLatest {
        code: "K137",
        name: "image-tag-latest",
        title: "Image uses the `latest` tag",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1525"],
            Cwe: ["CWE-494"],
        ],
        equivalents: &[
            "trivy:KSV-0013",
            "checkov:CKV_K8S_14",
            "kube-linter:latest-tag",
            "polaris:tagNotSpecified",
        ],
    }
}

impl Check<Objects> for ImageTagLatest {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        for (container, image) in container_images(pod) {
            if image.digest.is_some() || image.effective_tag() != Some("latest") {
                continue;
            }
            let how = if image.tag.is_some() {
                "the tag `latest`"
            } else {
                "no tag, which means `latest`"
            };
            hits.push(Hit::new(
                image_pointer(&container),
                format!(
                    "{} uses image `{}` with {how}; pin a version tag and, better, a digest",
                    describe(&container),
                    image.name()
                ),
            ));
        }
    }
}
