use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::{Component, ComponentContainer};

use super::flags::{Want, check_flag_where};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// etcd containers with `--auto-tls=true` (the default is `false`) and neither
    /// `--cert-file` nor `--key-file`: given a certificate, etcd ignores `--auto-tls`.
    /// Values from `ETCD_*` environment variables count; an etcd given `--config-file` is not
    /// judged, as etcd then ignores its flags and environment and rampart does not read the
    /// file yet.
    ///
    /// ## Why it matters
    /// With automatic TLS, etcd serves its clients a self-signed certificate it generates at
    /// start. Clients cannot verify it, so they either skip verification or trust whatever
    /// answers: anyone in the path between the API server and etcd can present their own
    /// certificate and read or change the cluster's data in transit.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - etcd
    ///   - --auto-tls=true
    /// ```
    /// Use instead: certificates from the etcd CA.
    /// ```yaml
    ///   - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    ///   - --key-file=/etc/kubernetes/pki/etcd/server.key
    /// ```
    pub struct EtcdAutoTls {
        code: "K410",
        name: "etcd-auto-tls",
        title: "etcd serves clients a self-signed certificate",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["2.3"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &[
            "kube-bench:2.3",
            "trivy:KCV-0044",
            "checkov:CKV_K8S_118",
            "kubescape:C-0155",
        ],
    }
}

impl Check<Objects> for EtcdAutoTls {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag_where(
            target,
            hits,
            Component::Etcd,
            without_certificate,
            "auto-tls",
            Want::IsNot("true"),
            "remove `--auto-tls` and give etcd a certificate from a CA its clients trust",
        );
    }
}

/// etcd generates certificates only when it is given none.
fn without_certificate(container: &ComponentContainer<'_>) -> bool {
    container.setting("cert-file").is_none() && container.setting("key-file").is_none()
}
