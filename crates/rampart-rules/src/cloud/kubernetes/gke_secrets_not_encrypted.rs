use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters without application-layer encryption of Secrets (`database_encryption` with
    /// `state = "ENCRYPTED"` and a key).
    ///
    /// ## Why it matters
    /// Application-layer encryption puts a key you control between etcd's storage and the Secrets:
    /// reading them then also needs `cloudkms.cryptoKeyVersions.useToDecrypt`, which is logged and
    /// revocable.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name = "main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   database_encryption {
    ///     state    = "ENCRYPTED"
    ///     key_name = google_kms_crypto_key.gke.id
    ///   }
    /// ```
    pub struct GkeSecretsNotEncrypted {
        code: "C631",
        name: "gke-secrets-not-encrypted",
        title: "GKE Secrets not encrypted with a Cloud KMS key",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.3.1"], Cis: ["1.2.27"], Cwe: ["CWE-311"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_cluster"],
    paths: &["database_encryption/state"],
    safe: is_encrypted,
    default_safe: false,
    unless: never,
    message: "Secrets in etcd use Google's default encryption only: set `database_encryption` with a Cloud KMS key",
};

impl Check<Resources> for GkeSecretsNotEncrypted {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn is_encrypted(value: &Value) -> bool {
    value.as_str() == Some("ENCRYPTED")
}
