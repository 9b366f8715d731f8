use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{capabilities, describe};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind that add a dangerous Linux capability in
    /// `securityContext.capabilities.add`: `ALL`, `SYS_ADMIN`, `SYS_MODULE`, `SYS_RAWIO`,
    /// `SYS_PTRACE`, `SYS_BOOT`, `DAC_READ_SEARCH`, `NET_ADMIN`, `NET_RAW`, `BPF`, `PERFMON`,
    /// `MAC_ADMIN` or `MAC_OVERRIDE`. Names compare case-insensitively, with or without the
    /// `CAP_` prefix, as the runtime reads them. Each one is reported with what it allows.
    /// Windows pods, which have no Linux capabilities, are not checked. These capabilities are
    /// part of the Pod Security Standards Baseline control "Capabilities"
    /// (`capabilities_baseline`); `K105` reports the other capabilities it forbids.
    ///
    /// ## Why it matters
    /// Capabilities split root's power into pieces; some pieces are nearly the whole. With
    /// `SYS_ADMIN` a process can mount filesystems and escape through cgroups, `SYS_MODULE`
    /// loads kernel code, `SYS_PTRACE` reads and injects into other processes, `BPF` and
    /// `PERFMON` reach kernel memory and every packet, `NET_ADMIN` and `NET_RAW` reroute or
    /// spoof the node's traffic. A compromise of the container becomes a compromise of the
    /// node, or of its neighbours.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     add: ["SYS_ADMIN"]
    /// ```
    /// Use instead: drop everything and add back only what the workload provably needs.
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]
    /// ```
    pub struct DangerousCapabilities {
        code: "K144",
        name: "dangerous-capabilities",
        title: "Container adds a dangerous capability",
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
        equivalents: &[
            "trivy:KSV-0005",
            "trivy:KSV-0119",
            "trivy:KSV-0120",
            "checkov:CKV_K8S_39",
            "kubescape:C-0046",
            "polaris:dangerousCapabilities",
        ],
    }
}

/// The capabilities this rule reports, with what each one hands to an attacker.
const DANGEROUS: [(&str, &str); 13] = [
    (
        "ALL",
        "every capability at once: root's full power over the kernel",
    ),
    (
        "SYS_ADMIN",
        "mounting filesystems, namespaces and cgroups: the classic container escape",
    ),
    (
        "SYS_MODULE",
        "loading kernel modules, that is running code in the node's kernel",
    ),
    ("SYS_RAWIO", "raw access to I/O ports and device memory"),
    (
        "SYS_PTRACE",
        "tracing and injecting code into other processes it can see",
    ),
    ("SYS_BOOT", "rebooting the node and loading a new kernel"),
    (
        "DAC_READ_SEARCH",
        "reading any file and opening files by handle, which has escaped containers (shocker)",
    ),
    (
        "NET_ADMIN",
        "reconfiguring interfaces, routes and firewall rules to intercept traffic",
    ),
    (
        "NET_RAW",
        "crafting raw packets to spoof ARP and DNS and sniff neighbours",
    ),
    (
        "BPF",
        "loading eBPF programs that can read kernel memory and every packet",
    ),
    (
        "PERFMON",
        "kernel performance monitoring that exposes kernel memory",
    ),
    (
        "MAC_ADMIN",
        "changing the AppArmor or SELinux policy that confines it",
    ),
    (
        "MAC_OVERRIDE",
        "bypassing the AppArmor or SELinux policy that confines it",
    ),
];

impl Check<Objects> for DangerousCapabilities {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        if pod.is_windows() {
            return;
        }
        for container in pod.containers() {
            for (index, capability) in capabilities(&container, "add") {
                let Some((_, why)) = DANGEROUS.iter().find(|(name, _)| *name == capability) else {
                    continue;
                };
                hits.push(Hit::new(
                    format!(
                        "{}/securityContext/capabilities/add/{index}",
                        container.pointer
                    ),
                    format!(
                        "{} adds {capability}, which allows {why}; remove it, drop ALL and add \
                         back only what the workload needs",
                        describe(&container)
                    ),
                ));
            }
        }
    }
}
