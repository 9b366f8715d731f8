use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::CLIENT_CA_FILE;

use super::kubelet::check_kubelet;
use crate::components::flags::Want;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets without `authentication.x509.clientCAFile` (flag `--client-ca-file`).
    ///
    /// ## Why it matters
    /// Without a client CA the kubelet cannot authenticate the API server's client certificate,
    /// nor any other: requests fall through to token webhook or anonymous authentication, and
    /// the kubelet cannot tell the API server from anyone else on the network.
    ///
    /// ## Example
    /// ```yaml
    /// authentication:
    ///   x509: {}
    /// ```
    /// Use instead:
    /// ```yaml
    /// authentication:
    ///   x509:
    ///     clientCAFile: /etc/kubernetes/pki/ca.crt
    /// ```
    pub struct KubeletClientCaMissing {
        code: "K432",
        name: "kubelet-client-ca-missing",
        title: "Kubelet does not verify client certificates",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.3"],
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &["kube-bench:4.2.3", "trivy:KCV-0081"],
    }
}

impl Check<Nodes> for KubeletClientCaMissing {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_kubelet(
            target,
            hits,
            &CLIENT_CA_FILE,
            Want::Set,
            "set `authentication.x509.clientCAFile` to the cluster CA (or `--client-ca-file`)",
        );
    }
}
