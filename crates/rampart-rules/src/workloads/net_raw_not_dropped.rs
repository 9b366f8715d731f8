use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::ContainerKind;
use rampart_source::Node;

use super::common::{capabilities, describe};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Regular and init containers that keep `NET_RAW`, which container runtimes grant by
    /// default: neither `ALL` nor `NET_RAW` is in `securityContext.capabilities.drop` (names
    /// compare case-insensitively, with or without `CAP_`).
    ///
    /// Not reported here: containers that explicitly add `NET_RAW` (the dangerous-capabilities
    /// rule reports those), privileged containers (which have every capability; the
    /// privileged-container rule reports them), ephemeral debug containers (where `ping` and
    /// `tcpdump` are the point), and Windows pods. Where this rule fires, `K120` (capabilities
    /// not dropped) leaves the field to it.
    ///
    /// ## Why it matters
    /// `NET_RAW` lets a process open raw sockets and forge any packet. On the pod network
    /// that is ARP and DNS spoofing against neighbouring pods on the node, sniffing, and
    /// crafted packets that have triggered kernel bugs (CVE-2020-14386). Almost no
    /// application needs it, and `ping` can use unprivileged ICMP sockets instead (the safe
    /// `net.ipv4.ping_group_range` sysctl).
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["MKNOD"]
    /// ```
    /// Use instead:
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    /// ```
    pub struct NetRawNotDropped {
        code: "K149",
        name: "net-raw-not-dropped",
        title: "Container keeps the NET_RAW capability",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Cis: ["5.2.8"],
            Nsa: ["pod-security"],
            Mitre: ["T1557"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &["checkov:CKV_K8S_28", "kube-linter:drop-net-raw-capability"],
    }
}

impl Check<Objects> for NetRawNotDropped {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        if pod.is_windows() {
            return;
        }
        for container in pod.containers() {
            let privileged = container.security("privileged").and_then(Node::as_bool) == Some(true);
            if container.kind == ContainerKind::Ephemeral
                || privileged
                || capabilities(&container, "add").any(|(_, name)| name == "NET_RAW")
            {
                continue;
            }
            let dropped: Vec<String> = capabilities(&container, "drop")
                .map(|(_, name)| name)
                .collect();
            if dropped
                .iter()
                .any(|name| name == "ALL" || name == "NET_RAW")
            {
                continue;
            }
            let observed = if dropped.is_empty() {
                "drops nothing".to_owned()
            } else {
                format!("drops only {}", dropped.join(", "))
            };
            hits.push(Hit::new(
                format!("{}/securityContext/capabilities/drop", container.pointer),
                format!(
                    "{} keeps NET_RAW (it {observed}); add ALL, or at least NET_RAW, to \
                     securityContext.capabilities.drop",
                    describe(&container)
                ),
            ));
        }
    }
}
