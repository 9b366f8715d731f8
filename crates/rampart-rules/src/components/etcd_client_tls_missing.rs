use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers started without one of `--etcd-certfile`, `--etcd-keyfile`
    /// (the client certificate it shows etcd) and `--etcd-cafile` (the CA it checks etcd's
    /// certificate against); one finding for each.
    ///
    /// ## Why it matters
    /// Without a client certificate the API server cannot talk to an etcd that requires one, so
    /// such setups end up with an etcd that accepts anyone. Without the CA it cannot tell the
    /// real etcd from an impostor, which then sees every object written, Secrets included.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --etcd-servers=https://127.0.0.1:2379
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --etcd-servers=https://127.0.0.1:2379
    ///   - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    ///   - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    ///   - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    /// ```
    pub struct ApiserverEtcdTlsMissing {
        code: "K417",
        name: "apiserver-etcd-tls-missing",
        title: "API server talks to etcd without mutual TLS",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.23", "1.2.26"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &[
            "kube-bench:1.2.23",
            "kube-bench:1.2.26",
            "trivy:KCV-0026",
            "trivy:KCV-0029",
            "checkov:CKV_K8S_99",
            "checkov:CKV_K8S_102",
            "kubescape:C-0137",
            "kubescape:C-0140",
        ],
    }
}

impl Check<Objects> for ApiserverEtcdTlsMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for flag in ["etcd-certfile", "etcd-keyfile", "etcd-cafile"] {
            check_flag(
                target,
                hits,
                Component::ApiServer,
                flag,
                Want::Set,
                "connect to etcd with a client certificate and verify it against the etcd CA",
            );
        }
    }
}
