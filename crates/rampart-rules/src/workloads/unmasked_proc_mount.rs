use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind whose `securityContext.procMount` is anything but `Default`: the
    /// Pod Security Standards control "/proc Mount Type". Baseline (`procMount`) and
    /// Restricted (`procMount_restricted`) run the same test, except that from v1.35 Baseline
    /// lets it through in pods with their own user namespace (`hostUsers: false`). This rule
    /// reports both, and says so when only Restricted forbids the setting.
    ///
    /// ## Why it matters
    /// The runtime masks and makes read-only the parts of `/proc` that reach into the node's
    /// kernel: `/proc/sys`, `/proc/sysrq-trigger`, `/proc/kcore`, `/proc/keys` and others.
    /// `Unmasked` removes that protection, so a root process in the container can read kernel
    /// memory and keys or change kernel settings that apply to the whole node, a short step
    /// from escaping it. Inside a user namespace the kernel limits what those files allow,
    /// which is why only Restricted still forbids it there.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   procMount: Unmasked
    /// ```
    /// Use instead: the default, masked `/proc` (or leave the field out).
    /// ```yaml
    /// securityContext:
    ///   procMount: Default
    /// ```
    pub struct UnmaskedProcMount {
        code: "K110",
        name: "unmasked-proc-mount",
        title: "Container mounts /proc unmasked",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["procMount", "procMount_restricted"],
            Cis: ["5.6.3"],
            Nsa: ["pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &[
            "trivy:KSV-0027",
            "kube-linter:unsafe-proc-mount",
            "polaris:procMount",
        ],
    }
}

impl Check<Objects> for UnmaskedProcMount {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "procMount").report(hits, "set `procMount: Default` or remove it");
        Evidence::of(target, "procMount_restricted")
            .except(target, "procMount")
            .report(
                hits,
                "set `procMount: Default` or remove it (Baseline allows it in this pod's user namespace, Restricted does not)",
            );
    }
}
