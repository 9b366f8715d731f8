use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// etcd containers started without `--peer-cert-file` or `--peer-key-file` (one finding for
    /// each).
    /// Values from `ETCD_*` environment variables count; an etcd given `--config-file` is not
    /// judged, as etcd then ignores its flags and environment and rampart does not read the
    /// file yet.
    ///
    /// ## Why it matters
    /// Without a peer certificate, members replicate over plain HTTP (or self-signed TLS, under
    /// `--peer-auto-tls`): every write, Secrets included, crosses the network between
    /// control-plane nodes readable and alterable, and members cannot require certificates of
    /// each other.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - etcd
    ///   - --listen-peer-urls=http://192.168.56.10:2380
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --listen-peer-urls=https://192.168.56.10:2380
    ///   - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
    ///   - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
    /// ```
    pub struct EtcdPeerCertificateMissing {
        code: "K422",
        name: "etcd-peer-certificate-missing",
        title: "etcd members replicate without certificates",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["2.4"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-319"],
        ],
        equivalents: &[
            "kube-bench:2.4",
            "trivy:KCV-0045",
            "checkov:CKV_K8S_119",
            "kubescape:C-0156",
        ],
    }
}

impl Check<Objects> for EtcdPeerCertificateMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for flag in ["peer-cert-file", "peer-key-file"] {
            check_flag(
                target,
                hits,
                Component::Etcd,
                flag,
                Want::Set,
                "replicate over TLS with peer certificates from the etcd CA",
            );
        }
    }
}
