use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Node;

use super::common::{container_images, describe};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind whose image is referenced by tag only (no digest) and whose
    /// effective `imagePullPolicy` is not `Always`. When the field is unset, Kubernetes
    /// defaults it to `Always` for the tag `latest` or no tag, and to `IfNotPresent` for any
    /// other tag; so `app:1.4.2` without a policy is reported, `app:latest` without one is not
    /// (the tag itself is rule K137). Images pinned by digest pass with any policy: their
    /// content cannot change.
    ///
    /// Cluster-wide, the `AlwaysPullImages` admission plugin enforces the same, including for
    /// digests.
    ///
    /// ## Why it matters
    /// With `IfNotPresent` or `Never`, a node runs whatever it cached under the tag. Tags
    /// move, so nodes disagree about what `app:1.4.2` is, and a fixed image pushed under the
    /// same tag never reaches nodes that already had the old one. On a shared node, a cached
    /// private image is also started for any pod that names it, without checking that pod's
    /// pull credentials: always pulling makes the registry authorise every start.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: registry.example.com/api:3.1.0
    ///     imagePullPolicy: IfNotPresent
    /// ```
    /// Use instead: pin the digest (preferred), or pull on every start.
    /// ```yaml
    ///   - name: api
    ///     image: registry.example.com/api:3.1.0@sha256:<digest>
    /// ```
    pub struct ImagePullPolicyNotAlways {
        code: "K151",
        name: "image-pull-policy-not-always",
        title: "Mutable image tag is not pulled on every start",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1525"],
            Cwe: ["CWE-494"],
        ],
        equivalents: &[
            "checkov:CKV_K8S_15",
            "kubescape:C-0075",
            "polaris:pullPolicyNotAlways",
        ],
    }
}

impl Check<Objects> for ImagePullPolicyNotAlways {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        for (container, image) in container_images(pod) {
            if image.digest.is_some() {
                continue;
            }
            let tag = image.effective_tag().unwrap_or("latest");
            let declared = container
                .node
                .get("imagePullPolicy")
                .and_then(Node::as_str)
                .filter(|policy| !policy.is_empty());
            let (policy, how) = match declared {
                Some(policy) => (policy, "set"),
                None if tag == "latest" => continue,
                None => ("IfNotPresent", "the default for a tag other than `latest`"),
            };
            if policy == "Always" {
                continue;
            }
            hits.push(Hit::new(
                format!("{}/imagePullPolicy", container.pointer),
                format!(
                    "{} uses the mutable tag `{}:{tag}` with imagePullPolicy {policy} ({how}), \
                     so nodes keep running whatever they cached; pin a digest or set \
                     imagePullPolicy: Always",
                    describe(&container),
                    image.name()
                ),
            ));
        }
    }
}
