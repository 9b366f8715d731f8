use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// A `seccompProfile.type` other than `RuntimeDefault` or `Localhost`, usually
    /// `Unconfined`, in the pod's or a container's `securityContext`: the Pod Security
    /// Standards Baseline control "Seccomp" (`seccompProfile_baseline`). The Restricted check
    /// `seccompProfile_restricted` also fails these; `K119` leaves them to this rule and reports
    /// only profiles that are missing. As upstream does, Baseline checks Windows pods too,
    /// although Restricted exempts them.
    ///
    /// ## Why it matters
    /// The runtime's default seccomp profile blocks the system calls container escapes and
    /// kernel exploits lean on: `unshare` and `clone` with new user namespaces, `keyctl`,
    /// `bpf`, `userfaultfd`, `perf_event_open`, `add_key` and dozens more. Several kernel
    /// privilege escalations were not exploitable under it, for instance CVE-2022-0185, a
    /// heap overflow in filesystem-context parsing reached through `unshare`. `Unconfined`
    /// turns it off explicitly, exposing the node's whole kernel surface to the container.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: Unconfined
    /// ```
    /// Use instead:
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: RuntimeDefault
    /// ```
    pub struct SeccompUnconfined {
        code: "K111",
        name: "seccomp-unconfined",
        title: "Pod or container disables seccomp",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["seccompProfile_baseline"],
            Cis: ["5.6.2"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1068"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &["trivy:KSV-0104"],
    }
}

impl Check<Objects> for SeccompUnconfined {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "seccompProfile_baseline").report(
            hits,
            "set `seccompProfile.type` to `RuntimeDefault`, or `Localhost` with a profile on the node",
        );
    }
}
