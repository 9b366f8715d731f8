use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::{Component, ComponentContainer};

use super::flags::{Want, check_flag_where};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// etcd containers with `--peer-auto-tls=true` (the default is `false`) and neither
    /// `--peer-cert-file` nor `--peer-key-file`: given a certificate, etcd ignores `--peer-auto-tls`.
    /// Values from `ETCD_*` environment variables count; an etcd given `--config-file` is not
    /// judged, as etcd then ignores its flags and environment and rampart does not read the
    /// file yet.
    ///
    /// ## Why it matters
    /// With automatic peer TLS, each member presents a self-signed certificate it generated
    /// itself, which no other member can verify: the replication traffic, which carries every
    /// Secret, is open to whoever can place themselves between the members.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - etcd
    ///   - --peer-auto-tls=true
    /// ```
    /// Use instead: peer certificates from the etcd CA.
    /// ```yaml
    ///   - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
    ///   - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
    /// ```
    pub struct EtcdPeerAutoTls {
        code: "K412",
        name: "etcd-peer-auto-tls",
        title: "etcd members use self-signed peer certificates",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["2.6"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &["kube-bench:2.6", "trivy:KCV-0047", "kubescape:C-0158"],
    }
}

impl Check<Objects> for EtcdPeerAutoTls {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag_where(
            target,
            hits,
            Component::Etcd,
            without_certificate,
            "peer-auto-tls",
            Want::IsNot("true"),
            "remove `--peer-auto-tls` and give each member a peer certificate from the etcd CA",
        );
    }
}

/// etcd generates certificates only when it is given none.
fn without_certificate(container: &ComponentContainer<'_>) -> bool {
    container.setting("peer-cert-file").is_none() && container.setting("peer-key-file").is_none()
}
