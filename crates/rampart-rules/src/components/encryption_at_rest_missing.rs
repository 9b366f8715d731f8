use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers started without `--encryption-provider-config`. What the
    /// named EncryptionConfiguration covers, and whether `identity` comes first in it, is not
    /// read yet.
    ///
    /// ## Why it matters
    /// Without an encryption configuration, the API server writes Secrets to etcd as they are:
    /// base64 inside protobuf, readable by anyone with an etcd backup, a copy of etcd's data
    /// directory or a disk snapshot of a control-plane node.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --etcd-servers=https://127.0.0.1:2379
    /// ```
    /// Use instead: an EncryptionConfiguration with a KMS v2 (or `aescbc`/`secretbox`)
    /// provider first for `secrets`.
    /// ```yaml
    ///   - --encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml
    /// ```
    pub struct ApiserverEncryptionAtRestMissing {
        code: "K419",
        name: "apiserver-encryption-at-rest-missing",
        title: "API server stores Secrets unencrypted",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.27"],
            Nsa: ["secrets"],
            Mitre: ["T1552"],
            Cwe: ["CWE-311"],
        ],
        equivalents: &["kube-bench:1.2.27", "trivy:KCV-0030", "kubescape:C-0141"],
    }
}

impl Check<Objects> for ApiserverEncryptionAtRestMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "encryption-provider-config",
            Want::Set,
            "encrypt Secrets at rest with `--encryption-provider-config`",
        );
    }
}
