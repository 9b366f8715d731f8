use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// `runAsUser: 0` in the pod's or a container's `securityContext`: the Pod Security
    /// Standards Restricted control "Running as Non-root user" (`runAsUser`). Every explicit
    /// `0` is reported, even on the pod when all containers override it, as upstream does. Pods
    /// with their own user namespace (`hostUsers: false`) are exempt, as upstream exempts them
    /// from v1.35.
    ///
    /// ## Why it matters
    /// `runAsUser: 0` asks for root explicitly, overriding a non-root `USER` the image author
    /// chose. Root in the container owns every file in it, uses every capability the container
    /// keeps, and is root on the node as soon as any isolation layer fails: a runtime bug such
    /// as CVE-2019-5736 (runc overwritten from inside the container) or a writable host mount
    /// is all it takes.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   runAsUser: 0
    /// ```
    /// Use instead: a non-zero UID, and let the kubelet enforce it.
    /// ```yaml
    /// securityContext:
    ///   runAsUser: 10001
    ///   runAsNonRoot: true
    /// ```
    pub struct RunAsRootUser {
        code: "K118",
        name: "run-as-root-user",
        title: "Pod or container runs as UID 0",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["runAsUser"],
            Cis: ["5.2.7"],
            Nsa: ["non-root-containers"],
            Mitre: ["T1611"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &["trivy:KSV-0105"],
    }
}

impl Check<Objects> for RunAsRootUser {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "runAsUser")
            .report(hits, "set a non-zero UID and `runAsNonRoot: true`");
    }
}
