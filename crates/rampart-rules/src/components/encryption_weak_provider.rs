use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::FileKind;
use rampart_k8s::components::encryption::{EncryptionConfig, ProviderKind, ResourceEntry};

use super::linked::api_server_file;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Entries of an EncryptionConfiguration whose first provider, the one that encrypts new
    /// writes, is `aescbc` (medium) or `aesgcm` (low). The file is judged when an API server
    /// of the scan reads it, or when the scan runs no API server.
    ///
    /// ## Why it matters
    /// The Kubernetes documentation recommends against `aescbc`: CBC without an
    /// authentication tag is open to padding-oracle attacks on the stored data. `aesgcm` uses
    /// random nonces, so each key must be replaced before about 200,000 writes, which the API
    /// server does not do by itself; a repeated nonce gives away the key stream. Both also keep
    /// their key in a file on the control-plane node, so whoever copies that node's disk has
    /// the key along with the data.
    ///
    /// ## Example
    /// ```yaml
    ///     providers:
    ///       - aescbc:
    ///           keys: [{name: key1, secret: <32 random bytes, base64>}]
    /// ```
    /// Use instead: KMS v2 (the key stays in the KMS), or `secretbox`:
    /// ```yaml
    ///     providers:
    ///       - secretbox:
    ///           keys: [{name: key2, secret: <32 random bytes, base64>}]
    ///       - aescbc:
    ///           keys: [{name: key1, secret: <the old key, to read older data>}]
    /// ```
    pub struct EncryptionWeakProvider {
        code: "K476",
        name: "encryption-weak-provider",
        title: "Encryption configuration encrypts with a provider upstream advises against",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.28"],
            Nsa: ["secrets"],
            Mitre: ["T1552"],
            Cwe: ["CWE-327"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for EncryptionWeakProvider {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((config, readers)) =
            api_server_file(target, FileKind::Encryption, EncryptionConfig::parse)
        else {
            return;
        };
        for entry in &config.entries {
            let Some(first) = entry.providers.first() else {
                continue;
            };
            let covered = covered(entry);
            let (severity, why) = match first.kind {
                ProviderKind::AesCbc => (
                    Severity::Medium,
                    "CBC without authentication is open to padding-oracle attacks, and upstream recommends against it",
                ),
                ProviderKind::AesGcm => (
                    Severity::Low,
                    "its random nonces require a new key before about 200,000 writes, which the API server does not rotate by itself",
                ),
                _ => continue,
            };
            hits.push(
                Hit::new(
                    &first.pointer,
                    format!(
                        "`{}` encrypts new writes of {covered}: {why}{readers}: use KMS v2, or secretbox",
                        first.kind.key()
                    ),
                )
                .with_severity(severity),
            );
        }
    }
}

/// The resources of an entry, for messages: `secrets, configmaps`.
fn covered(entry: &ResourceEntry) -> String {
    entry
        .resources
        .iter()
        .map(|resource| {
            if resource.group.is_empty() && resource.resource != "*" {
                format!("`{}`", resource.resource)
            } else {
                format!("`{}.{}`", resource.resource, resource.group)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
