use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// AppArmor profiles other than the runtime default or a profile loaded on the node: an
    /// `appArmorProfile.type` other than `RuntimeDefault` or `Localhost` in the pod's or a
    /// container's `securityContext`, and a `container.apparmor.security.beta.kubernetes.io/*`
    /// annotation other than `runtime/default` or `localhost/<profile>`. This is the Pod
    /// Security Standards Baseline control "AppArmor" (`appArmorProfile`).
    ///
    /// ## Why it matters
    /// On nodes with AppArmor the runtime's default profile is what stops a root process in a
    /// container from writing to `/proc/sys`, mounting filesystems or touching
    /// `/sys/kernel/security`, even when it holds a capability that would allow it. Several
    /// container escapes that needed a capability were blocked by that profile alone.
    /// `Unconfined` removes the layer; the container then depends on capabilities and seccomp
    /// only.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   appArmorProfile:
    ///     type: Unconfined
    /// ```
    /// Use instead: the runtime's default profile, or a custom profile loaded on the node.
    /// ```yaml
    /// securityContext:
    ///   appArmorProfile:
    ///     type: RuntimeDefault
    /// ```
    pub struct ApparmorUnconfined {
        code: "K108",
        name: "apparmor-unconfined",
        title: "Container runs without an AppArmor profile",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["appArmorProfile"],
            Cis: ["5.6.3"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1562.001"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &["trivy:KSV-0002"],
    }
}

impl Check<Objects> for ApparmorUnconfined {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "appArmorProfile").report(
            hits,
            "use the `RuntimeDefault` profile or a `Localhost` profile loaded on the node",
        );
    }
}
