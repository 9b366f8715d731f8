use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::{Component, ComponentContainer, ListItem};

use super::flags::{Element, Want, check_flag, check_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers whose `--tls-cipher-suites` is missing or names a suite other
    /// than the TLS 1.3 suites and the ECDHE suites with AES-GCM or ChaCha20-Poly1305. Left
    /// out, the list is Go's default, which for TLS 1.2 still offers ECDHE suites with AES-CBC
    /// and SHA-1.
    ///
    /// ## Why it matters
    /// CBC suites with SHA-1 MACs have a history of padding-oracle and timing attacks, and
    /// suites without ECDHE have no forward secrecy: whoever records the traffic and later
    /// obtains the server's key can decrypt it, tokens included.
    ///
    /// ## Example
    /// ```yaml
    ///   - --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_AES_128_GCM_SHA256
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
    /// ```
    pub struct ApiserverWeakTlsCiphers {
        code: "K420",
        name: "apiserver-weak-tls-ciphers",
        title: "API server allows weak TLS cipher suites",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.29"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-327"],
        ],
        equivalents: &[
            "kube-bench:1.2.29",
            "checkov:CKV_K8S_105",
            "kubescape:C-0277",
        ],
    }
}

impl Check<Objects> for ApiserverWeakTlsCiphers {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let fix = "list only ECDHE suites with AES-GCM or ChaCha20-Poly1305";
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "tls-cipher-suites",
            Want::Set,
            fix,
        );
        check_list(
            target,
            hits,
            Component::ApiServer,
            "TLS cipher suites",
            cipher_suites,
            Element::Each(is_strong),
            fix,
        );
    }
}

fn cipher_suites(container: &ComponentContainer<'_>) -> Option<Vec<ListItem>> {
    Some(container.list("tls-cipher-suites"))
}

/// A TLS 1.3 suite, or a TLS 1.2 suite with forward secrecy and an AEAD cipher.
pub(crate) fn is_strong(suite: &str) -> bool {
    let tls13 = matches!(
        suite,
        "TLS_AES_128_GCM_SHA256" | "TLS_AES_256_GCM_SHA384" | "TLS_CHACHA20_POLY1305_SHA256"
    );
    let aead = suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305");
    tls13 || (suite.starts_with("TLS_ECDHE_") && aead)
}
