use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Container ports with a non-zero `hostPort`, in containers of any kind: the Pod Security
    /// Standards Baseline control "Host Ports" (`hostPorts`).
    ///
    /// ## Why it matters
    /// A `hostPort` opens the port on the node's own address, in front of the pod. It bypasses
    /// the Service and any NetworkPolicy written for it, exposes the workload to whoever can
    /// reach the node, often from outside the cluster, and lets a compromised pod claim a port
    /// that node-level traffic expects (a DNS or metrics port) to intercept it. It also pins
    /// replicas to distinct nodes and makes a port clash silently unschedulable.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - containerPort: 8080
    ///     hostPort: 8080
    /// ```
    /// Use instead: expose the port through a Service (`ClusterIP`, `NodePort` or
    /// `LoadBalancer`) and keep only `containerPort`.
    /// ```yaml
    /// ports:
    ///   - containerPort: 8080
    /// ```
    pub struct HostPort {
        code: "K107",
        name: "host-port",
        title: "Container binds a port on the node",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["hostPorts"],
            Cis: ["5.2.12"],
            Nsa: ["pod-security"],
            Cwe: ["CWE-668"],
        ],
        equivalents: &[
            "trivy:KSV-0024",
            "checkov:CKV_K8S_26",
            "kubescape:C-0044",
            "polaris:hostPortSet",
        ],
    }
}

impl Check<Objects> for HostPort {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "hostPorts").report(
            hits,
            "remove `hostPort` and expose the port through a Service",
        );
    }
}
