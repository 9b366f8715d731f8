use rampart_core::{Concern, Layer, References, Severity};
use rampart_k8s::node::EVENT_QPS;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{CheckNode, declare_rule};
use crate::{NodeHit, NodeTarget};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose `eventRecordQPS` (flag `--event-qps`) is `0`, which removes the limit on
    /// how many events per second the kubelet creates (the default is 50).
    ///
    /// ## Why it matters
    /// Events are evidence: a limit set too low drops them, but no limit lets a crash-looping or
    /// hostile workload make the kubelet flood the API server and etcd with events, a denial of
    /// service of the control plane from one node.
    ///
    /// ## Example
    /// ```yaml
    /// eventRecordQPS: 0
    /// ```
    /// Use instead:
    /// ```yaml
    /// eventRecordQPS: 50
    /// ```
    pub struct KubeletEventQpsUnlimited {
        code: "K437",
        name: "kubelet-event-qps-unlimited",
        title: "Kubelet creates events without a rate limit",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: References {
            pss: &[],
            cis: &["4.2.8"],
            nsa: &["audit-logging"],
            mitre: &["T1499"],
            cwe: &["CWE-770"],
        },
        equivalents: &["kube-bench:4.2.8"],
    }
}

impl CheckNode for KubeletEventQpsUnlimited {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<NodeHit>) {
        check_kubelet(
            target,
            hits,
            &EVENT_QPS,
            Want::Satisfies(|value| value.trim() != "0", "a limit above zero"),
            "set `eventRecordQPS` to a limit such as the default 50",
        );
    }
}
