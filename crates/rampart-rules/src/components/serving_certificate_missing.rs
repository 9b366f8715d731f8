use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers started without `--tls-cert-file` or `--tls-private-key-file`
    /// (one finding for each).
    ///
    /// ## Why it matters
    /// Without a certificate, the API server generates a self-signed one at start. Clients
    /// that verify the server against the cluster CA then fail, and the usual fix — turning
    /// verification off in kubeconfigs — lets anyone who can intercept the traffic impersonate
    /// the API server and collect the tokens and client certificates sent to it.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --secure-port=6443
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    ///   - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
    /// ```
    pub struct ApiserverServingCertificateMissing {
        code: "K416",
        name: "apiserver-serving-certificate-missing",
        title: "API server has no serving certificate of its own",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.24"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &[
            "kube-bench:1.2.24",
            "trivy:KCV-0027",
            "checkov:CKV_K8S_100",
            "kubescape:C-0138",
        ],
    }
}

impl Check<Objects> for ApiserverServingCertificateMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for flag in ["tls-cert-file", "tls-private-key-file"] {
            check_flag(
                target,
                hits,
                Component::ApiServer,
                flag,
                Want::Set,
                "serve a certificate signed by the cluster CA",
            );
        }
    }
}
