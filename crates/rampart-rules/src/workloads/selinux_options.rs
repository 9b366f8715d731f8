use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// `seLinuxOptions` in the pod's or a container's `securityContext` that set a `type`
    /// other than `container_t`, `container_init_t`, `container_kvm_t` or
    /// `container_engine_t`, or that set a `user` or `role`: the Pod Security Standards
    /// Baseline control "SELinux" (`seLinuxOptions`). Setting only `level` (MCS categories) is
    /// allowed.
    ///
    /// ## Why it matters
    /// On SELinux nodes the `container_t` type is what keeps a process that breaks out of its
    /// namespaces from reading host files or other containers' files. Choosing another type
    /// opts out: `spc_t` ("super privileged container") and `unconfined_t` are not confined
    /// at all, and a custom `user` or `role` can grant transitions into privileged domains. A
    /// container escape that SELinux would have contained then reaches the node.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seLinuxOptions:
    ///     type: spc_t
    /// ```
    /// Use instead: leave the type to the runtime and set at most the MCS level.
    /// ```yaml
    /// securityContext:
    ///   seLinuxOptions:
    ///     level: "s0:c123,c456"
    /// ```
    pub struct SelinuxOptions {
        code: "K109",
        name: "selinux-options",
        title: "Pod or container sets a forbidden SELinux type, user or role",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["seLinuxOptions"],
            Cis: ["5.6.3"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1562.001"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &["trivy:KSV-0025"],
    }
}

impl Check<Objects> for SelinuxOptions {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "seLinuxOptions").report(
            hits,
            "remove it and let the runtime assign `container_t`; only `level` may be set",
        );
    }
}
