use base64::Engine as _;
use rampart_core::{Concern, Layer, Severity, refs};
use rampart_secrets::{detect, digest, is_placeholder};
use rampart_source::{Node, push_pointer};

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Secret manifests committed with their values: every entry of `data` (decoded from
    /// base64, which is an encoding, not a protection) and of `stringData` that holds a real
    /// value. Not reported: empty values, placeholders and template expressions
    /// (`{{ .Values.password | b64enc }}`, `${DB_PASSWORD}`, `changeme`), and the public
    /// parts of a Secret (`ca.crt`, `tls.crt`, a value that is only certificates, a
    /// `username`). The message says what the value is when the detector knows its format
    /// (a GitHub token, a private key) and never shows it.
    ///
    /// ## Why it matters
    /// A Secret in a repository is readable by everyone who can read the repository, its
    /// forks, its CI logs and every machine it was cloned to, for as long as the history
    /// exists: far beyond the RBAC that guards the Secret in the cluster. `data` looks
    /// opaque but `base64 -d` reveals it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata: {name: db}
    /// stringData:
    ///   password: Zr8kP2mXq9vL4tWn
    /// ```
    /// Use instead: create the Secret out of band, or commit it encrypted (Sealed Secrets,
    /// SOPS) or as a reference (External Secrets Operator).
    /// ```yaml
    /// apiVersion: external-secrets.io/v1
    /// kind: ExternalSecret
    /// metadata: {name: db}
    /// spec:
    ///   secretStoreRef: {name: vault, kind: ClusterSecretStore}
    ///   data:
    ///     - secretKey: password
    ///       remoteRef: {key: db, property: password}
    /// ```
    pub struct PlaintextSecret {
        code: "S105",
        name: "plaintext-secret-committed",
        title: "Secret manifest committed with its values",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Secrets,
        references: refs![
            Nsa: ["secrets"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-798", "CWE-312"],
        ],
        equivalents: &["gitleaks:kubernetes-secret-yaml"],
    }
}

/// Keys of a Secret that hold what is not secret.
const PUBLIC_KEYS: &[&str] = &[
    "ca.crt",
    "tls.crt",
    "ca-bundle.crt",
    "username",
    "user",
    "namespace",
];

impl Check<Objects> for PlaintextSecret {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let object = target.object;
        if object.kind != "Secret" || object.api_version != "v1" {
            return;
        }
        for field in ["data", "stringData"] {
            let entries = object.root.get(field).map(Node::entries).unwrap_or(&[]);
            for entry in entries {
                let Some(raw) = entry.value.as_str() else {
                    continue;
                };
                let decoded = match field {
                    "data" => base64::engine::general_purpose::STANDARD
                        .decode(raw.trim())
                        .ok()
                        .and_then(|bytes| String::from_utf8(bytes).ok()),
                    _ => Some(raw.to_owned()),
                };
                // Templates and placeholders are not decoded values.
                let value = decoded.unwrap_or_else(|| raw.to_owned());
                if is_placeholder(raw) || is_placeholder(&value) || is_public(&entry.key, &value) {
                    continue;
                }
                let pointer = push_pointer(&format!("/{field}"), &entry.key);
                let what = match detect(&entry.key, &value) {
                    Some(found) => format!("{} ({})", found.what, found.redacted),
                    None => format!("a value of {} characters", value.chars().count()),
                };
                let how = if field == "data" {
                    "`data` is base64, which anyone can decode"
                } else {
                    "`stringData` is plain text"
                };
                hits.push(
                    Hit::new(
                        &pointer,
                        format!(
                            "Secret `{}` is committed with `{}` set to {what}; {how}: create the \
                             Secret out of band or commit it encrypted (Sealed Secrets, SOPS), \
                             and rotate the value",
                            object.name, entry.key
                        ),
                    )
                    .with_identity(format!("{pointer}/{}", digest(&value))),
                );
            }
        }
    }
}

/// Certificates and names are not secrets.
fn is_public(key: &str, value: &str) -> bool {
    let certificates_only =
        value.contains("-----BEGIN CERTIFICATE-----") && !value.contains("PRIVATE KEY");
    PUBLIC_KEYS.contains(&key) || certificates_only
}
