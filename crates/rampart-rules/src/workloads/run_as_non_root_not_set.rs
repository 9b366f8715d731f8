use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods in which not every container is required to run as non-root: the Pod Security
    /// Standards Restricted control "Running as Non-root" (`runAsNonRoot`). It reports every
    /// `runAsNonRoot` explicitly set to anything but `true`, on the pod or a container (a
    /// container's `false` overrides the pod's `true`); when none is, it reports each container
    /// that does not set `runAsNonRoot: true` while the pod does not either. Pods with their
    /// own user namespace (`hostUsers: false`) are exempt, as upstream exempts them from v1.35.
    ///
    /// ## Why it matters
    /// `runAsNonRoot: true` makes the kubelet refuse to start a container whose user is root,
    /// whatever the image says. Without it, an image with no `USER`, or one that is swapped for
    /// another, runs as UID 0: root owns the container's files, can use every capability the
    /// container has, and a breakout through a runtime or kernel bug (CVE-2019-5736 in runc)
    /// lands as root on the node.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: worker
    ///       image: registry.example.com/worker:1.2.0
    /// ```
    /// Use instead: require non-root for the whole pod (and give the image a non-root `USER`
    /// or set `runAsUser`).
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///   containers:
    ///     - name: worker
    ///       image: registry.example.com/worker:1.2.0
    /// ```
    pub struct RunAsNonRootNotSet {
        code: "K117",
        name: "run-as-non-root-not-set",
        title: "Container may run as root",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["runAsNonRoot"],
            Cis: ["5.2.7"],
            Nsa: ["non-root-containers"],
            Mitre: ["T1611"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &[
            "trivy:KSV-0012",
            "checkov:CKV_K8S_23",
            "kubescape:C-0013",
            "kube-linter:run-as-non-root",
            "polaris:runAsRootAllowed",
        ],
    }
}

impl Check<Objects> for RunAsNonRootNotSet {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "runAsNonRoot").report_each(hits, |field| {
            // An explicit value other than `true`, or no value anywhere.
            if target.object.root.pointer(&field.pointer).is_some() {
                "set it to `true`, or remove it where the pod sets `runAsNonRoot: true`"
            } else {
                "set `runAsNonRoot: true` in the pod's securityContext and give the image a non-root user"
            }
        });
    }
}
