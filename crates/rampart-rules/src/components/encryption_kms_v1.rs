use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::FileKind;
use rampart_k8s::components::encryption::{EncryptionConfig, ProviderKind};

use super::linked::api_server_file;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// KMS providers of an EncryptionConfiguration that speak KMS v1 (`apiVersion: v1`, or no
    /// `apiVersion`, which means v1).
    ///
    /// ## Why it matters
    /// KMS v1 is deprecated since Kubernetes 1.28 and off by default since 1.29: an API server
    /// of those versions refuses to start with this file unless `--feature-gates=KMSv1=true`
    /// is set, so an upgrade of the control plane takes the cluster down or tempts an operator
    /// to drop encryption to get it back. v1 also calls the KMS for every write, so a slow or
    /// unavailable KMS stalls the API server; v2 caches a data key and rotates it.
    ///
    /// ## Example
    /// ```yaml
    ///       - kms:
    ///           name: vault
    ///           endpoint: unix:///var/run/kms/vault.sock
    /// ```
    /// Use instead (with a plugin that speaks KMS v2):
    /// ```yaml
    ///       - kms:
    ///           apiVersion: v2
    ///           name: vault-v2
    ///           endpoint: unix:///var/run/kms/vault-v2.sock
    /// ```
    pub struct EncryptionKmsV1 {
        code: "K477",
        name: "encryption-kms-v1",
        title: "Encryption configuration uses the deprecated KMS v1",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.28"],
            Nsa: ["secrets"],
            Cwe: ["CWE-477"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for EncryptionKmsV1 {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((config, readers)) =
            api_server_file(target, FileKind::Encryption, EncryptionConfig::parse)
        else {
            return;
        };
        let v1 = config
            .entries
            .iter()
            .flat_map(|entry| &entry.providers)
            .filter(|provider| provider.kind == ProviderKind::Kms { v2: false });
        for provider in v1 {
            hits.push(Hit::new(
                &provider.pointer,
                format!(
                    "this KMS provider speaks the deprecated KMS v1, which API servers from 1.29 refuse without `--feature-gates=KMSv1=true`{readers}: move to a KMS v2 plugin (`apiVersion: v2`)"
                ),
            ));
        }
    }
}
