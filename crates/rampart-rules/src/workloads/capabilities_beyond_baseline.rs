use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind that add, in `securityContext.capabilities.add`, a capability
    /// outside the runtime's default set (`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`,
    /// `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`,
    /// `SETUID`, `SYS_CHROOT`): the Pod Security Standards Baseline control "Capabilities"
    /// (`capabilities_baseline`). Adding one from the default set other than
    /// `NET_BIND_SERVICE` is forbidden by Restricted only, and reported by `K120`. As upstream
    /// does, Baseline checks Windows pods too, although Restricted exempts them. The most
    /// dangerous capabilities (`SYS_ADMIN`, `NET_RAW`, `ALL`, ...) are reported by `K144`
    /// instead, with what each one allows.
    ///
    /// ## Why it matters
    /// Capabilities beyond the default set are the usual stepping stones out of a container:
    /// `SYS_ADMIN` allows `mount` and the cgroup `release_agent` escape, `SYS_MODULE` loads a
    /// kernel module, `SYS_PTRACE` injects code into processes it can see, `DAC_READ_SEARCH`
    /// reads host files through `open_by_handle_at` (the "shocker" exploit), `NET_ADMIN` and
    /// `NET_RAW` rewrite routes and spoof traffic on the pod network, and `ALL` grants them
    /// all.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     add: ["SYS_ADMIN", "NET_ADMIN"]
    /// ```
    /// Use instead: drop everything and add back only what the process needs, from the
    /// default set.
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]
    /// ```
    pub struct CapabilitiesBeyondBaseline {
        code: "K105",
        name: "capabilities-beyond-baseline",
        title: "Container adds capabilities beyond the default set",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["capabilities_baseline"],
            Cis: ["5.2.9"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1068"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &["trivy:KSV-0022", "checkov:CKV_K8S_25"],
    }
}

impl Check<Objects> for CapabilitiesBeyondBaseline {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "capabilities_baseline").report(
            hits,
            "remove it from `capabilities.add`; drop ALL and add back only what the process needs",
        );
    }
}
