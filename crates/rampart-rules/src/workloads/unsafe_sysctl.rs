use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Sysctls in the pod's `securityContext.sysctls` outside the safe set the Pod Security
    /// Standards name (such as `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`,
    /// `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.tcp_syncookies`,
    /// `net.ipv4.ping_group_range` and, in newer versions, a few more `net.ipv4.tcp_*`
    /// settings): the Baseline control "Sysctls" (`sysctls`), at the newest policy version.
    ///
    /// ## Why it matters
    /// The safe sysctls are namespaced and isolated from other pods. Everything else either
    /// is not namespaced, so the pod changes a kernel setting for the whole node, or can
    /// starve the node and its other pods: `kernel.msgmax` and `kernel.shm*` let one pod
    /// exhaust kernel memory, and some `net.*` settings weaken the node's network stack. The
    /// kubelet refuses unsafe sysctls unless an administrator allow-lists them, and that
    /// allow-list then applies to every pod scheduled there.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   sysctls:
    ///     - name: kernel.msgmax
    ///       value: "65536"
    /// ```
    /// Use instead: only sysctls from the safe set, or tune the node itself.
    /// ```yaml
    /// securityContext:
    ///   sysctls:
    ///     - name: net.ipv4.ip_local_port_range
    ///       value: "1024 65000"
    /// ```
    pub struct UnsafeSysctl {
        code: "K112",
        name: "unsafe-sysctl",
        title: "Pod sets a sysctl outside the safe set",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["sysctls"],
            Cis: ["5.6.3"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1499"],
            Cwe: ["CWE-653"],
        ],
        equivalents: &["trivy:KSV-0026", "kube-linter:unsafe-sysctls"],
    }
}

impl Check<Objects> for UnsafeSysctl {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "sysctls").report(
            hits,
            "remove it, or set it on the node instead of in the pod",
        );
    }
}
