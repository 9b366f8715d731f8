use rampart_core::{Concern, Layer, Severity, refs};
use rampart_secrets::{Detection, Syntax, detect, scan};
use rampart_source::{Node, Value, push_pointer};

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Secrets anywhere else in a Kubernetes object of any kind, custom resources included:
    /// annotations and labels, container `args` and `command` (`--password=…`, scripts with
    /// `export API_KEY=…`), kubeconfig users (`client-key-data` holding a private key),
    /// and any field of a custom resource. A value is a secret by its format (tokens, keys,
    /// private keys, URLs with a password), or by the name of its field or flag when the
    /// name announces one (`password`, `apiKey`, `--token`), as rampart's secret detector
    /// decides; placeholders and references are not. Fields other rules check are left to
    /// them: environment variables (K142), ConfigMap data (S104), Secret data (S105),
    /// kubeconfig tokens and passwords (K486); `kubectl.kubernetes.io/last-applied-configuration`,
    /// a copy of the object, is not read twice; SealedSecrets' `encryptedData`, SOPS values
    /// (`ENC[…]`) and the keys of an EncryptionConfiguration (the file exists to hold them)
    /// are not secrets in clear.
    ///
    /// ## Why it matters
    /// An object's fields are stored in etcd without encryption (only Secrets are covered
    /// by encryption at rest), returned to everyone who may `get` or `list` the kind, shown
    /// by `kubectl describe`, and committed to the repository the manifest lives in.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: exporter
    ///     args: ["--db-password=Zr8kP2mXq9vL4tWn"]
    /// ```
    /// Use instead: a file from a Secret, or an environment variable from one.
    /// ```yaml
    ///     args: ["--db-password-file=/run/secrets/db/password"]
    /// ```
    pub struct SecretInObject {
        code: "S106",
        name: "secret-in-object-field",
        title: "Secret written in a field of a Kubernetes object",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Secrets,
        references: refs![
            Nsa: ["secrets"],
            Mitre: ["T1552.001", "T1552.007"],
            Cwe: ["CWE-798"],
        ],
        equivalents: &[],
    }
}

/// Fields whose secrets other rules report, or that repeat the object.
/// Encrypted values (a SealedSecret's) and the keys an EncryptionConfiguration exists to hold
/// are not secrets written in clear.
fn skipped(kind: &str, pointer: &str) -> bool {
    let data = matches!(
        (kind, pointer),
        ("Secret", "/data" | "/stringData")
            | ("ConfigMap", "/data" | "/binaryData")
            | ("SealedSecret", "/spec/encryptedData")
            | ("EncryptionConfiguration", "/resources")
    );
    data || pointer == "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"
        || pointer == "/metadata/managedFields"
}

impl Check<Objects> for SecretInObject {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let object = target.object;
        // A kubeconfig (`kind: Config`) has no name.
        let who = match object.name.as_str() {
            "" => object.kind.clone(),
            name => format!("{} `{name}`", object.kind),
        };
        let mut report = |pointer: &str, found: Detection, inside: String| {
            hits.push(
                Hit::new(
                    pointer,
                    format!(
                        "{who} holds {}{inside} ({}); reference a Secret instead, and rotate it",
                        found.what, found.redacted
                    ),
                )
                .with_identity(format!("{pointer}/{}", found.digest)),
            );
        };
        let skip = |pointer: &str| skipped(&object.kind, pointer);
        walk(&object.root, "", "", &skip, &mut |pointer, name, value| {
            if value.trim_end().contains('\n') {
                for secret in scan(value, Syntax::Config) {
                    let line = format!(" on line {} of `{pointer}`", secret.line);
                    report(pointer, Detection::from(secret), line);
                }
                return;
            }
            let (name, value) = match value.strip_prefix("--").and_then(|f| f.split_once('=')) {
                Some((flag, value)) => (flag, value),
                None => (name, value),
            };
            if let Some(found) = detect(name, value) {
                report(pointer, found, format!(" in `{pointer}`"));
            }
        });
    }
}

/// Calls `visit` with each string's pointer, the name it is under (its key, or the key of
/// the list holding it) and its value, except under the pointers `skip` names.
fn walk(
    node: &Node,
    pointer: &str,
    name: &str,
    skip: &dyn Fn(&str) -> bool,
    visit: &mut dyn FnMut(&str, &str, &str),
) {
    if skip(pointer) {
        return;
    }
    match &node.value {
        Value::String(text) => visit(pointer, name, text),
        Value::Seq(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(item, &push_pointer(pointer, index), name, skip, visit);
            }
        }
        Value::Map(entries) => {
            for entry in entries {
                walk(
                    &entry.value,
                    &push_pointer(pointer, &entry.key),
                    &entry.key,
                    skip,
                    visit,
                );
            }
        }
        _ => {}
    }
}
