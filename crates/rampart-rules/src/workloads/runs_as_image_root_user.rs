use rampart_core::{Concern, Layer, Severity, refs};
use rampart_graph::user_evidence;

use super::common::{describe, image_user_cases};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers that run as root because of their image: neither the container nor the pod
    /// sets `runAsUser` or `runAsNonRoot: true`, and the image, as built by a Dockerfile or held
    /// by an image of the scan, starts as root (no user, uid `0`, `root`, or a name the
    /// image's `/etc/passwd` maps to uid 0). Rule K117 says such a container *may* run as
    /// root; this rule says it does, and why.
    ///
    /// Pods in their own user namespace (`hostUsers: false`) and Windows pods are not judged,
    /// nor images whose user the scan cannot know (a Dockerfile that leaves it to its base
    /// image: rule D101 reports that Dockerfile, naming the workloads that run it).
    ///
    /// ## Why it matters
    /// The manifest looks harmless and the Dockerfile lives in another repository, so nobody
    /// sees that the two together start the process as uid 0. Root in the container owns every
    /// file of the application, uses every capability the container keeps, and lands as root
    /// on the node after a runtime or kernel escape (CVE-2019-5736 in runc).
    ///
    /// ## Example
    /// ```yaml
    /// # the image is built by a Dockerfile with `USER root` as its last user
    /// spec:
    ///   containers:
    ///     - name: gateway
    ///       image: registry.example.com/payments/gateway:3.1.4
    /// ```
    /// Use instead: a non-root numeric `USER` in the image, and the pod requiring it.
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///   containers:
    ///     - name: gateway
    ///       image: registry.example.com/payments/gateway:3.1.4
    /// ```
    pub struct RunsAsImageRootUser {
        code: "K153",
        name: "runs-as-image-root-user",
        title: "Container runs as root: its image's user, left unchanged by the pod",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Cis: ["5.2.7"],
            CisDocker: ["4.1"],
            Nsa: ["non-root-containers"],
            Mitre: ["T1611"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for RunsAsImageRootUser {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        if target
            .pod
            .as_ref()
            .is_some_and(|pod| pod.in_user_namespace())
        {
            return;
        }
        for case in image_user_cases(target) {
            if case.run_as_non_root
                || case.run_as_user_set
                || case.source.user.is_root() != Some(true)
            {
                continue;
            }
            hits.push(
                Hit::new(
                    case.container.pointer.clone(),
                    format!(
                        "{} runs as root: the pod sets no `runAsUser` for it and its image \
                         starts as {}; give the image a numeric non-root `USER` (`USER 10001`) \
                         and set `runAsNonRoot: true`",
                        describe(&case.container),
                        case.source.user.shown
                    ),
                )
                .with_evidence(user_evidence(case.source, case.link)),
            );
        }
    }
}
