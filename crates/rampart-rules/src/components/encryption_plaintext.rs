use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::FileKind;
use rampart_k8s::components::encryption::{EncryptionConfig, ProviderKind};

use super::linked::api_server_file;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// EncryptionConfigurations under which the API server still writes Secrets to etcd
    /// unencrypted: the entry that governs `secrets` (the one listing `secrets`, else `*.`,
    /// else `*.*`, as the API server picks it) has `identity` as its first provider, or no
    /// entry governs `secrets` at all. The file is judged when an API server of the scan reads
    /// it (`--encryption-provider-config`), or when the scan runs no API server.
    ///
    /// ## Why it matters
    /// Only the first provider encrypts new writes; the others only read what was written
    /// before. With `identity` first, `--encryption-provider-config` is set, the benchmark's
    /// flag check passes, and every Secret still lands in etcd, its backups and snapshots as
    /// readable base64.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - identity: {}
    ///       - aescbc:
    ///           keys: [{name: key1, secret: <32 random bytes, base64>}]
    /// ```
    /// Use instead (then rewrite existing Secrets so they are stored encrypted):
    /// ```yaml
    ///     providers:
    ///       - kms:
    ///           apiVersion: v2
    ///           name: vault
    ///           endpoint: unix:///var/run/kms/vault.sock
    ///       - identity: {}
    /// ```
    pub struct EncryptionSecretsPlaintext {
        code: "K475",
        name: "encryption-secrets-plaintext",
        title: "Encryption configuration writes Secrets unencrypted",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.28"],
            Nsa: ["secrets"],
            Mitre: ["T1552"],
            Cwe: ["CWE-311"],
        ],
        equivalents: &["kube-bench:1.2.28", "kubescape:C-0142"],
    }
}

impl Check<Objects> for EncryptionSecretsPlaintext {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((config, readers)) =
            api_server_file(target, FileKind::Encryption, EncryptionConfig::parse)
        else {
            return;
        };
        let Some(entry) = config.entry_for("", "secrets") else {
            hits.push(Hit::new(
                "/resources",
                format!(
                    "no entry covers `secrets` (none lists `secrets`, `*.` or `*.*`), so Secrets are written to etcd unencrypted{readers}: add an entry for `secrets` with KMS v2, secretbox or aescbc first"
                ),
            ));
            return;
        };
        let Some(first) = entry.providers.first() else {
            return;
        };
        if first.kind == ProviderKind::Identity {
            hits.push(Hit::new(
                &first.pointer,
                format!(
                    "`identity` is the first provider of the entry covering `secrets` ({}), so new Secrets are written to etcd unencrypted; later providers only decrypt{readers}: put an encrypting provider first",
                    entry.pointer
                ),
            ));
        }
    }
}
