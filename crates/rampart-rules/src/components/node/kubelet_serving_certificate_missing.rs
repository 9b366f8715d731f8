use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::{SERVER_TLS_BOOTSTRAP, TLS_CERT_FILE, TLS_PRIVATE_KEY_FILE};

use super::kubelet::{described, hit_at};
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets with neither a serving certificate and key (`tlsCertFile` and
    /// `tlsPrivateKeyFile`, flags `--tls-cert-file` and `--tls-private-key-file`) nor
    /// `serverTLSBootstrap` (flag `--rotate-server-certificates`) to request one from the
    /// cluster.
    ///
    /// ## Why it matters
    /// The kubelet then serves port 10250 with a self-signed certificate that no client can
    /// verify. The API server's exec, logs and port-forward traffic to the node can be
    /// intercepted by anyone in the path, and clients learn to skip verification.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: kubelet.config.k8s.io/v1beta1
    /// kind: KubeletConfiguration
    /// ```
    /// Use instead:
    /// ```yaml
    /// serverTLSBootstrap: true
    /// ```
    pub struct KubeletServingCertificateMissing {
        code: "K438",
        name: "kubelet-serving-certificate-missing",
        title: "Kubelet serves a self-signed certificate",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.9"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &["kube-bench:4.2.9", "trivy:KCV-0088"],
    }
}

impl Check<Nodes> for KubeletServingCertificateMissing {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(kubelet) = &target.node.kubelet else {
            return;
        };
        let is_set = |field| kubelet.setting(field).is_some_and(|s| !s.value.is_empty());
        if is_set(&TLS_CERT_FILE) && is_set(&TLS_PRIVATE_KEY_FILE) {
            return;
        }
        let Some(bootstrap) = kubelet.setting(&SERVER_TLS_BOOTSTRAP) else {
            return;
        };
        if bootstrap.value == "true" {
            return;
        }
        let message = format!(
            "{} and no serving certificate and key are given, so the kubelet serves a self-signed certificate: set `serverTLSBootstrap: true` (and approve the kubelets' serving CSRs), or `tlsCertFile` and `tlsPrivateKeyFile`",
            described(&SERVER_TLS_BOOTSTRAP, &bootstrap)
        );
        hits.extend(hit_at(kubelet, &SERVER_TLS_BOOTSTRAP, &bootstrap, message));
    }
}
