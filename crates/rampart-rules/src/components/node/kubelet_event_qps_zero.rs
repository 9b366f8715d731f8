use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::EVENT_QPS;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets whose `eventRecordQPS` (flag `--event-qps`) is `0`. The configuration's
    /// documentation calls `0` "no limit", but the kubelet hands the value to its event client
    /// as is, and client-go reads a rate of `0` as its own default: 5 events per second with
    /// bursts of 10, a tenth of the kubelet's default of 50. (Negative values are refused.)
    ///
    /// ## Why it matters
    /// Events are evidence: pods scheduled, images pulled, probes failing, containers killed.
    /// Set to `0` in the belief that it lifts the limit, it does the opposite, and in a burst
    /// (an incident, a crash loop, a node under attack) the kubelet drops the events that
    /// would have shown what happened.
    ///
    /// ## Example
    /// ```yaml
    /// eventRecordQPS: 0
    /// ```
    /// Use instead:
    /// ```yaml
    /// eventRecordQPS: 50
    /// ```
    pub struct KubeletEventQpsZero {
        code: "K437",
        name: "kubelet-event-qps-zero",
        title: "Kubelet event rate set to 0, which means 5 per second",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.8"],
            Nsa: ["audit-logging"],
            Mitre: ["T1562.001"],
            Cwe: ["CWE-778"],
        ],
        equivalents: &["kube-bench:4.2.8"],
    }
}

impl Check<Nodes> for KubeletEventQpsZero {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &EVENT_QPS,
            Want::Satisfies(
                |value| value.trim() != "0",
                "a rate above zero; 0 falls back to client-go's 5 per second",
            ),
            "set `eventRecordQPS` to the rate events are needed at, such as the default 50",
        );
    }
}
