use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers started without `--service-account-key-file`.
    ///
    /// ## Why it matters
    /// This file holds the public keys service account tokens are verified with. Left out, the
    /// API server verifies them with the key of its serving certificate, tying token signing to
    /// TLS: the two keys cannot be rotated apart, and whoever holds the serving key can mint
    /// tokens for any service account. A separate key pair, listed here, also allows rotation:
    /// the file can carry the old public key next to the new one.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
    ///   - --service-account-key-file=/etc/kubernetes/pki/sa.pub
    /// ```
    pub struct ApiserverServiceAccountKeyMissing {
        code: "K418",
        name: "apiserver-service-account-key-missing",
        title: "API server has no service account verification key",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.22"],
            Nsa: ["authentication-and-authorization"],
            Cwe: ["CWE-522"],
        ],
        equivalents: &[
            "kube-bench:1.2.22",
            "trivy:KCV-0025",
            "checkov:CKV_K8S_97",
            "kubescape:C-0136",
        ],
    }
}

impl Check<Objects> for ApiserverServiceAccountKeyMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "service-account-key-file",
            Want::Set,
            "verify service account tokens with a key pair of their own",
        );
    }
}
