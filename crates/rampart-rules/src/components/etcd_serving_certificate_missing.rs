use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// etcd containers started without `--cert-file` or `--key-file` (one finding for each).
    /// Values from `ETCD_*` environment variables count; an etcd given `--config-file` is not
    /// judged, as etcd then ignores its flags and environment and rampart does not read the
    /// file yet.
    ///
    /// ## Why it matters
    /// Without a certificate etcd can only serve its clients over plain HTTP (or with a
    /// self-signed certificate, under `--auto-tls`). Everything the API server reads and
    /// writes, Secrets included, then crosses the network readable and alterable by anyone on
    /// the path, and client certificate authentication cannot be required.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - etcd
    ///   - --listen-client-urls=http://127.0.0.1:2379,http://192.168.56.10:2379
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --listen-client-urls=https://127.0.0.1:2379,https://192.168.56.10:2379
    ///   - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    ///   - --key-file=/etc/kubernetes/pki/etcd/server.key
    /// ```
    pub struct EtcdServingCertificateMissing {
        code: "K421",
        name: "etcd-serving-certificate-missing",
        title: "etcd serves clients without a certificate",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["2.1"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-319"],
        ],
        equivalents: &[
            "kube-bench:2.1",
            "trivy:KCV-0042",
            "checkov:CKV_K8S_116",
            "kubescape:C-0153",
        ],
    }
}

impl Check<Objects> for EtcdServingCertificateMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for flag in ["cert-file", "key-file"] {
            check_flag(
                target,
                hits,
                Component::Etcd,
                flag,
                Want::Set,
                "serve clients over TLS with a certificate from the etcd CA",
            );
        }
    }
}
