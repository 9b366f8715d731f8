use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::{Evidence, at};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods with `hostNetwork: true`. This is the network part of the Pod Security Standards
    /// Baseline control "Host Namespaces" (`hostNamespaces`); `K103` and `K104` report its
    /// `hostPID` and `hostIPC` parts, so each field maps to its own equivalents in other tools.
    ///
    /// ## Why it matters
    /// A pod on the host network shares the node's interfaces: it can sniff or spoof the node's
    /// traffic, reach services that listen only on the node's loopback (the kubelet's read-only
    /// port, container runtime and node-local agents), bypass every NetworkPolicy, which does
    /// not apply to host-network pods, and bind ports on the node's address. On cloud nodes it
    /// also reaches the instance metadata service with the node's identity, and from there the
    /// node's cloud credentials.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///     - name: exporter
    ///       image: registry.example.com/exporter:0.9.1
    /// ```
    /// Use instead: leave the pod in its own network namespace and expose what must be reached
    /// through a Service.
    /// ```yaml
    /// spec:
    ///   hostNetwork: false
    ///   containers:
    ///     - name: exporter
    ///       image: registry.example.com/exporter:0.9.1
    ///       ports:
    ///         - containerPort: 9100
    /// ```
    pub struct HostNetwork {
        code: "K102",
        name: "host-network",
        title: "Pod shares the node's network namespace",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["hostNamespaces"],
            Cis: ["5.2.5"],
            Nsa: ["pod-security"],
            Mitre: ["T1557", "T1552.005"],
            Cwe: ["CWE-653"],
        ],
        equivalents: &[
            "trivy:KSV-0009",
            "checkov:CKV_K8S_19",
            "kubescape:C-0041",
            "kube-linter:host-network",
            "polaris:hostNetworkSet",
        ],
    }
}

impl Check<Objects> for HostNetwork {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "hostNamespaces")
            .only(at("hostNetwork"))
            .report(
                hits,
                "remove `hostNetwork` and expose the ports through a Service",
            );
    }
}
