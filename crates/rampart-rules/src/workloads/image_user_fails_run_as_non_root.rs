use rampart_core::{Concern, Layer, Severity, refs};
use rampart_graph::user_evidence;
use rampart_image::RuntimeUser;

use super::common::{describe, image_user_cases};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers that require `runAsNonRoot: true` (on the container or inherited from the
    /// pod) without a `runAsUser`, whose image, as built by a Dockerfile or held by an image of
    /// the scan, starts as a user the kubelet cannot accept. With no `runAsUser` the kubelet
    /// checks the image's user before it creates the container, and refuses it:
    /// - when the image sets no user or uid 0: `container has runAsNonRoot and image will run
    ///   as root`;
    /// - when the image's user is a name (`USER app`, `USER node`, also `USER root`): it
    ///   cannot map a name to a uid without the image's `/etc/passwd`, so `container has
    ///   runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root`;
    /// - when the uid is negative or above 2147483647 (since Kubernetes v1.33): `container has
    ///   runAsNonRoot and image has an invalid user id`.
    ///
    /// The user is read as the runtime reads it: the part before `:`, a number when it parses
    /// as one. A numeric non-zero user passes. Windows pods are not judged, and images whose
    /// user the scan cannot know (a Dockerfile that leaves it to its base image) are skipped.
    /// Which Dockerfile or image builds a workload's image: see `[images]` in the
    /// configuration and the matching rules in the README.
    ///
    /// ## Why it matters
    /// The pod never starts (`CreateContainerConfigError`). The usual way out under pressure is
    /// to delete `runAsNonRoot`, and the workload then runs as root from an image that was
    /// never meant to. Caught before deployment, the fix is one line in the Dockerfile or the
    /// manifest.
    ///
    /// ## Example
    /// ```yaml
    /// # the image is built by a Dockerfile ending in `USER app`
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///   containers:
    ///     - name: api
    ///       image: registry.example.com/shop/api:1.4.0
    /// ```
    /// Use instead: a numeric user in the image (`USER 10001`), or the uid in the pod.
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///   containers:
    ///     - name: api
    ///       image: registry.example.com/shop/api:1.4.0
    /// ```
    pub struct ImageUserFailsRunAsNonRoot {
        code: "K152",
        name: "image-user-fails-run-as-non-root",
        title: "Container will not start: its image's user fails runAsNonRoot",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            CisDocker: ["4.1"],
            Nsa: ["non-root-containers"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for ImageUserFailsRunAsNonRoot {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for case in image_user_cases(target) {
            if !case.run_as_non_root || case.run_as_user_set {
                continue;
            }
            let refusal = match &case.user {
                RuntimeUser::Unset | RuntimeUser::Uid(0) => {
                    "container has runAsNonRoot and image will run as root".to_owned()
                }
                RuntimeUser::Name(name) => format!(
                    "container has runAsNonRoot and image has non-numeric user ({name}), \
                     cannot verify user is non-root"
                ),
                // The kubelet checks what the runtime would accept since v1.33: an id that
                // does not fit a 32-bit uid could wrap to 0 (CVE-2024-40635 in containerd).
                RuntimeUser::Uid(uid) if !(0..=i64::from(i32::MAX)).contains(uid) => {
                    format!("container has runAsNonRoot and image has an invalid user id ({uid})")
                }
                RuntimeUser::Uid(_) => continue,
            };
            hits.push(
                Hit::new(
                    case.container.pointer.clone(),
                    format!(
                        "{} requires `runAsNonRoot` without a `runAsUser`, and its image starts \
                         as {}: the kubelet refuses to create it (`{refusal}`); give the image a \
                         numeric non-root `USER` (`USER 10001`) or set `runAsUser`",
                        describe(&case.container),
                        case.source.user.shown
                    ),
                )
                .with_evidence(user_evidence(case.source, case.link)),
            );
        }
    }
}
