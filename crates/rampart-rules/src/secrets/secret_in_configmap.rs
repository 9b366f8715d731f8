use rampart_core::{Concern, Layer, Severity, refs};
use rampart_secrets::{Syntax, detect, scan};
use rampart_source::{Node, push_pointer};

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Secrets in the `data` of ConfigMaps, found by rampart's secret detector: a value of a
    /// known format (tokens, keys, private keys, URLs with a password) whatever its key, a
    /// literal assigned to a key that announces a secret (`DB_PASSWORD`, `api-key`), and,
    /// in values that are whole files (`application.properties: |`), every secret inside
    /// them as in a configuration file (rule S103's detection). Placeholders and references
    /// (`${DB_PASSWORD}`, `{{ .Values.x }}`, `changeme`) are not reported; messages never
    /// show the secret.
    ///
    /// ## Why it matters
    /// ConfigMaps are not meant for secrets: they are readable by far more identities than
    /// Secrets (`view` grants them, Secrets are excluded), printed by `kubectl describe`,
    /// copied into logs and dashboards, and never encrypted at rest by the API server's
    /// encryption configuration, which names Secrets.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ConfigMap
    /// data:
    ///   DATABASE_URL: postgres://app:Zr8kP2mXq9vL4tWn@db:5432/app
    /// ```
    /// Use instead: the password in a Secret, referenced from the pod.
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef: {name: db, key: password}
    /// ```
    pub struct SecretInConfigMap {
        code: "S104",
        name: "secret-in-configmap",
        title: "Secret written in a ConfigMap",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Secrets,
        references: refs![
            Nsa: ["secrets"],
            Mitre: ["T1552.001", "T1552.007"],
            Cwe: ["CWE-798", "CWE-312"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for SecretInConfigMap {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let object = target.object;
        if object.kind != "ConfigMap" || object.api_version != "v1" {
            return;
        }
        let entries = object.root.get("data").map(Node::entries).unwrap_or(&[]);
        for entry in entries {
            let Some(value) = entry.value.as_str() else {
                continue;
            };
            let pointer = push_pointer("/data", &entry.key);
            let mut hit = |what: &str, redacted: &str, inside: String, digest: &str| {
                hits.push(
                    Hit::new(
                        &pointer,
                        format!(
                            "ConfigMap `{}` holds {what}{inside} ({redacted}) in `{}`; move it to \
                             a Secret and rotate it",
                            object.name, entry.key
                        ),
                    )
                    .with_identity(format!("{pointer}/{digest}")),
                );
            };
            if value.trim_end().contains('\n') {
                let syntax = if is_code(&entry.key) {
                    Syntax::Code
                } else {
                    Syntax::Config
                };
                for secret in scan(value, syntax) {
                    let named = match &secret.name {
                        Some(name) => format!(" assigned to `{name}`"),
                        None => String::new(),
                    };
                    let inside = format!("{named} on line {} of the file", secret.line);
                    hit(&secret.what, &secret.redacted, inside, &secret.digest);
                }
            } else if let Some(found) = detect(&entry.key, value) {
                hit(&found.what, &found.redacted, String::new(), &found.digest);
            }
        }
    }
}

/// Whether a ConfigMap key names a source file (`handler.py`), where only quoted strings
/// are literals.
fn is_code(key: &str) -> bool {
    let extension = key.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        extension,
        "py" | "js" | "ts" | "go" | "rb" | "java" | "php" | "lua" | "groovy"
    )
}
