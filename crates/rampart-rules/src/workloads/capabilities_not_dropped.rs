use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind that do not drop `ALL` capabilities, or that add back any
    /// capability but `NET_BIND_SERVICE`: the Pod Security Standards Restricted control
    /// "Capabilities" (`capabilities_restricted`). Added capabilities outside the runtime's
    /// default set fail the Baseline check too and are reported by `K105`; this rule skips
    /// them, so one capability gives one finding. Windows pods are exempt, as upstream exempts
    /// them. When the missing `drop: ["ALL"]` leaves `NET_RAW` in place, `K149` reports it
    /// instead (the concrete risk, and the same fix) and this rule stays silent.
    ///
    /// ## Why it matters
    /// Containers start with the runtime's default capabilities, which include `NET_RAW`
    /// (craft packets, spoof ARP and DNS on the pod network), `DAC_OVERRIDE` and `FOWNER`
    /// (ignore file permissions), `SETUID`/`SETGID` and `MKNOD`. A process that needs none of
    /// them still hands them to whoever takes it over. Dropping `ALL` removes that toolbox;
    /// binding a port below 1024 is the one thing that commonly needs a capability back.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["NET_RAW"]
    ///     add: ["CHOWN"]
    /// ```
    /// Use instead:
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]
    /// ```
    pub struct CapabilitiesNotDropped {
        code: "K120",
        name: "capabilities-not-dropped",
        title: "Container keeps capabilities it does not need",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["capabilities_restricted"],
            Cis: ["5.2.9"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1557"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &[
            "trivy:KSV-0003",
            "trivy:KSV-0106",
            "checkov:CKV_K8S_37",
            "polaris:insecureCapabilities",
        ],
    }
}

impl Check<Objects> for CapabilitiesNotDropped {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "capabilities_restricted")
            .except(target, "capabilities_baseline")
            .report_each(hits, |field| {
                if field.pointer.ends_with("/drop") {
                    "set `capabilities.drop: [\"ALL\"]`"
                } else {
                    "remove it from `capabilities.add`; only NET_BIND_SERVICE may be added back"
                }
            });
    }
}
