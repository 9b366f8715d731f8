use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::{STREAMING_IDLE_TIMEOUT, duration_is_zero};

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose `streamingConnectionIdleTimeout` (flag
    /// `--streaming-connection-idle-timeout`) is zero.
    ///
    /// ## Why it matters
    /// Exec, attach and port-forward sessions then stay open for ever when idle: forgotten
    /// sessions keep a way into containers open, and piled-up connections exhaust the kubelet.
    ///
    /// ## Example
    /// ```yaml
    /// streamingConnectionIdleTimeout: 0s
    /// ```
    /// Use instead:
    /// ```yaml
    /// streamingConnectionIdleTimeout: 5m
    /// ```
    pub struct KubeletStreamingTimeoutDisabled {
        code: "K434",
        name: "kubelet-streaming-timeout-disabled",
        title: "Kubelet streaming connections never time out",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.5"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1499"],
            Cwe: ["CWE-613"],
        ],
        equivalents: &["kube-bench:4.2.5", "trivy:KCV-0085"],
    }
}

impl Check<Nodes> for KubeletStreamingTimeoutDisabled {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &STREAMING_IDLE_TIMEOUT,
            Want::Satisfies(
                |value| duration_is_zero(value) != Some(true),
                "a duration above zero",
            ),
            "set `streamingConnectionIdleTimeout` to a duration such as `5m`",
        );
    }
}
