use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// `httpGet` or `tcpSocket` handlers of liveness, readiness and startup probes and of
    /// `postStart` and `preStop` hooks that set `host`, in containers of any kind: the Pod
    /// Security Standards Baseline control "Host Probes / Lifecycle Hooks"
    /// (`hostProbesAndHostLifecycle`, part of Baseline from v1.34).
    ///
    /// ## Why it matters
    /// The kubelet runs these handlers itself, from the node's network namespace. A `host`
    /// other than the pod's own IP turns the kubelet into a proxy the pod controls: it can be
    /// aimed at the node's loopback services, the cloud metadata endpoint
    /// (`169.254.169.254`) or anything the node can reach but the pod cannot, past every
    /// NetworkPolicy. `preStop` and `postStart` hooks send their request whatever the answer,
    /// and probe outcomes tell the pod which of those endpoints are open.
    ///
    /// ## Example
    /// ```yaml
    /// livenessProbe:
    ///   httpGet:
    ///     host: 169.254.169.254
    ///     path: /latest/meta-data/
    ///     port: 80
    /// ```
    /// Use instead: probe the container itself; leave `host` out so the kubelet uses the
    /// pod's IP.
    /// ```yaml
    /// livenessProbe:
    ///   httpGet:
    ///     path: /healthz
    ///     port: 8080
    /// ```
    pub struct HostProbeOrLifecycleHook {
        code: "K114",
        name: "host-probe-or-lifecycle-hook",
        title: "Probe or lifecycle hook targets another host",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["hostProbesAndHostLifecycle"],
            Nsa: ["pod-security"],
            Mitre: ["T1090", "T1552.005"],
            Cwe: ["CWE-918"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for HostProbeOrLifecycleHook {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "hostProbesAndHostLifecycle").report(
            hits,
            "remove `host` so the kubelet connects to the pod's own IP",
        );
    }
}
