use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind that get no seccomp profile, because neither they nor the pod
    /// set `securityContext.seccompProfile`: the Pod Security Standards Restricted control
    /// "Seccomp" (`seccompProfile_restricted`). That check also fails profiles of a forbidden
    /// type such as `Unconfined`; those are reported by `K111` and skipped here, so one
    /// setting gives one finding. Windows pods are exempt, as upstream exempts them.
    ///
    /// As upstream does, when some profile is of a forbidden type, the check reports only
    /// that; containers that lack a profile show up here once it is fixed.
    ///
    /// ## Why it matters
    /// Without a profile, the kubelet runs containers `Unconfined` unless the node enables
    /// `--seccomp-default`, which most clusters do not, so every system call of the kernel is
    /// open to the container. The runtime's default profile blocks the calls most kernel
    /// exploits and container escapes need (`unshare`, `keyctl`, `bpf`, `userfaultfd`, ...)
    /// at almost no cost to ordinary workloads.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: registry.example.com/web:2.1.0
    /// ```
    /// Use instead: set the runtime's default profile once, for the whole pod.
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: web
    ///       image: registry.example.com/web:2.1.0
    /// ```
    pub struct SeccompProfileMissing {
        code: "K119",
        name: "seccomp-profile-missing",
        title: "Container runs without a seccomp profile",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["seccompProfile_restricted"],
            Cis: ["5.6.2"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1068"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &["trivy:KSV-0030", "checkov:CKV_K8S_31", "kubescape:C-0210"],
    }
}

impl Check<Objects> for SeccompProfileMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "seccompProfile_restricted")
            .except(target, "seccompProfile_baseline")
            .report(
                hits,
                "set `seccompProfile.type: RuntimeDefault` in the pod's securityContext",
            );
    }
}
