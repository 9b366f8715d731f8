use rampart_core::{Concern, Layer, Severity, refs};
use rampart_secrets::Class;

use super::report;
use crate::rule::{Check, declare_rule};
use crate::{Hit, TextFileTarget, TextFiles};

declare_rule! {
    /// ## What it checks
    /// Private keys written in a source or configuration file, in every encoding: PEM blocks
    /// (RSA, EC, DSA, OpenSSH, PKCS#8, PGP), encrypted or not, with real line breaks,
    /// indented in YAML, or escaped (`\n`) in JSON strings and source code (a Google Cloud
    /// service account key file is named as such); PuTTY key files; and PEM blocks wrapped
    /// in base64, as kubeconfigs' `client-key-data` hold them. A block needs a body of real
    /// base64 (64 characters at least): `-----BEGIN PRIVATE KEY-----` with `...` in
    /// documentation is not a key. Certificates and public keys are not reported.
    ///
    /// Encrypted keys are reported too (the message says so): the passphrase is the only
    /// protection left, and it can be attacked offline.
    ///
    /// ## Why it matters
    /// A private key is an identity: whoever holds it signs as the service, decrypts its
    /// traffic, or logs into every host that trusts it. Unlike a password it is rarely
    /// rotated, and a key committed once stays in the history of every clone.
    ///
    /// ## Example
    /// ```yaml
    /// tls:
    ///   key: |
    ///     -----BEGIN EC PRIVATE KEY-----
    ///     MHcCAQEEIO...
    ///     -----END EC PRIVATE KEY-----
    /// ```
    /// Use instead: a reference to where the key is kept (a Kubernetes Secret created out of
    /// band, a secret manager, a file mounted at run time).
    /// ```yaml
    /// tls:
    ///   keyFile: /run/secrets/tls/tls.key
    /// ```
    pub struct PrivateKeyInFile {
        code: "S102",
        name: "private-key-in-file",
        title: "Private key written in a source or configuration file",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Secrets,
        references: refs![
            Mitre: ["T1552.004"],
            Cwe: ["CWE-798", "CWE-321"],
        ],
        equivalents: &["gitleaks:private-key", "detect-secrets:PrivateKeyDetector"],
    }
}

impl Check<TextFiles> for PrivateKeyInFile {
    fn check(&self, target: &TextFileTarget<'_>, hits: &mut Vec<Hit>) {
        report(
            target,
            Class::PrivateKey,
            hits,
            "replace the key pair, and load the new key from a secret store or a file mounted at \
             run time",
        );
    }
}
