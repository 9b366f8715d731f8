use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::split_list;
use rampart_k8s::node::TLS_CIPHER_SUITES;

use super::kubelet::{check_kubelet, described, hit_at};
use crate::components::flags::Want;
use crate::components::weak_tls_ciphers::is_strong;
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets without `tlsCipherSuites` (flag `--tls-cipher-suites`), which then accept Go's
    /// default suites, or that list a suite without forward secrecy or an AEAD cipher (CBC,
    /// RC4, 3DES, static RSA key exchange). The API server's side is K420.
    ///
    /// ## Why it matters
    /// Weak suites let an attacker in the network path downgrade and decrypt or tamper with the
    /// traffic between the API server and the kubelet: exec sessions, logs, port-forwards.
    ///
    /// ## Example
    /// ```yaml
    /// tlsCipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA]
    /// ```
    /// Use instead:
    /// ```yaml
    /// tlsCipherSuites:
    /// - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    /// - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    /// ```
    pub struct KubeletWeakTlsCiphers {
        code: "K441",
        name: "kubelet-weak-tls-ciphers",
        title: "Kubelet allows weak TLS cipher suites",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.12"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-327"],
        ],
        equivalents: &["kube-bench:4.2.12", "trivy:KCV-0092"],
    }
}

impl Check<Nodes> for KubeletWeakTlsCiphers {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        let fix = "list only ECDHE suites with AES-GCM or ChaCha20-Poly1305";
        check_kubelet(target, hits, &TLS_CIPHER_SUITES, Want::Set, fix);
        let Some(kubelet) = &target.node.kubelet else {
            return;
        };
        let Some(suites) = kubelet.setting(&TLS_CIPHER_SUITES) else {
            return;
        };
        let weak: Vec<&str> = split_list(&suites.value)
            .filter(|s| !is_strong(s))
            .collect();
        if weak.is_empty() {
            return;
        }
        let message = format!(
            "{}, which includes weak suites ({}): {fix}",
            described(&TLS_CIPHER_SUITES, &suites),
            weak.join(", ")
        );
        hits.extend(hit_at(kubelet, &TLS_CIPHER_SUITES, &suites, message));
    }
}
