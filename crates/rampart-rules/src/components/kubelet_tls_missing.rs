use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers without a client certificate for kubelets
    /// (`--kubelet-client-certificate`, `--kubelet-client-key`) or without the CA that kubelet
    /// serving certificates are checked against (`--kubelet-certificate-authority`). kubeadm
    /// sets the first two and not the third.
    ///
    /// ## Why it matters
    /// The API server calls kubelets for `exec`, `attach`, `port-forward` and logs. Without a
    /// client certificate, kubelets must let it in anonymously, and so everyone who reaches
    /// port 10250. Without the CA, the API server does not verify whom it talks to: whoever can
    /// intercept traffic to a node receives the exec sessions and logs meant for it, and can
    /// answer them.
    ///
    /// ## Example
    /// ```yaml
    ///   - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    ///   - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
    /// ```
    /// Use instead (with kubelet serving certificates signed by that CA):
    /// ```yaml
    ///   - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt
    /// ```
    pub struct ApiserverKubeletTlsMissing {
        code: "K429",
        name: "apiserver-kubelet-tls-missing",
        title: "API server does not authenticate its connections to kubelets",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.4", "1.2.5"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &[
            "kube-bench:1.2.4",
            "kube-bench:1.2.5",
            "trivy:KCV-0005",
            "trivy:KCV-0006",
            "checkov:CKV_K8S_72",
            "checkov:CKV_K8S_73",
            "kubescape:C-0116",
            "kubescape:C-0117",
        ],
    }
}

impl Check<Objects> for ApiserverKubeletTlsMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for flag in [
            "kubelet-client-certificate",
            "kubelet-client-key",
            "kubelet-certificate-authority",
        ] {
            check_flag(
                target,
                hits,
                Component::ApiServer,
                flag,
                Want::Set,
                "authenticate to kubelets with a client certificate and verify theirs against the cluster CA",
            );
        }
    }
}
