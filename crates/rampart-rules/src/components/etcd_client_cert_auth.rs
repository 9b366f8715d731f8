use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// etcd containers whose `--client-cert-auth` is not `true`. etcd's default is `false`;
    /// kubeadm sets it to `true`.
    /// Values from `ETCD_*` environment variables count; an etcd given `--config-file` is not
    /// judged, as etcd then ignores its flags and environment and rampart does not read the
    /// file yet.
    ///
    /// ## Why it matters
    /// etcd holds the whole cluster state, every Secret included, unencrypted unless the API
    /// server encrypts them at rest. Without client certificate authentication, anyone who
    /// reaches etcd's client port can read and write all of it, bypassing the API server's
    /// authentication, authorization, admission and audit.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - etcd
    ///   - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    ///   - --key-file=/etc/kubernetes/pki/etcd/server.key
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --client-cert-auth=true
    ///   - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    /// ```
    pub struct EtcdClientCertAuthDisabled {
        code: "K409",
        name: "etcd-client-cert-auth-disabled",
        title: "etcd does not require client certificates",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["2.2"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1552"],
            Cwe: ["CWE-306"],
        ],
        equivalents: &[
            "kube-bench:2.2",
            "trivy:KCV-0043",
            "checkov:CKV_K8S_117",
            "kubescape:C-0154",
        ],
    }
}

impl Check<Objects> for EtcdClientCertAuthDisabled {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::Etcd,
            "client-cert-auth",
            Want::Is("true"),
            "set `--client-cert-auth=true` with a `--trusted-ca-file` that signs only the API server's client certificate",
        );
    }
}
