use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// etcd containers whose `--peer-client-cert-auth` is not `true`. etcd's default is `false`;
    /// kubeadm sets it to `true`.
    /// Values from `ETCD_*` environment variables count; an etcd given `--config-file` is not
    /// judged, as etcd then ignores its flags and environment and rampart does not read the
    /// file yet.
    ///
    /// ## Why it matters
    /// Members of an etcd cluster replicate every write to each other over the peer port.
    /// Without peer certificate authentication, anything that reaches that port can talk to the
    /// member as a peer: join the cluster, receive its data, or disturb its consensus. A
    /// single-member etcd still listens on its peer URL.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - etcd
    ///   - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
    ///   - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --peer-client-cert-auth=true
    ///   - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    /// ```
    pub struct EtcdPeerClientCertAuthDisabled {
        code: "K411",
        name: "etcd-peer-client-cert-auth-disabled",
        title: "etcd does not require certificates from its peers",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["2.5"],
            Nsa: ["control-plane-hardening"],
            Cwe: ["CWE-306"],
        ],
        equivalents: &[
            "kube-bench:2.5",
            "trivy:KCV-0046",
            "checkov:CKV_K8S_121",
            "kubescape:C-0157",
        ],
    }
}

impl Check<Objects> for EtcdPeerClientCertAuthDisabled {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::Etcd,
            "peer-client-cert-auth",
            Want::Is("true"),
            "set `--peer-client-cert-auth=true` with a `--peer-trusted-ca-file`",
        );
    }
}
