use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::{Node, push_pointer};

use super::common::describe;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};
use rampart_secrets::detect;

declare_rule! {
    /// ## What it checks
    /// Environment variables of containers of any kind whose literal `value` holds a secret:
    /// - by its format, whatever the variable's name, with rampart's secret detector (the
    ///   S1xx rules' too): cloud keys (AWS, Google, Azure), version control, CI, chat, payment
    ///   and package registry tokens (GitHub and npm tokens with their checksum verified),
    ///   private keys in every encoding, JSON Web Tokens (header checked), and URLs with a
    ///   password in them (`postgres://app:…@db`); examples such as `AKIAIOSFODNN7EXAMPLE`
    ///   are not secrets;
    /// - by the variable's name: a name with the whole word `PASSWORD`, `PASSWD`,
    ///   `PASSPHRASE`, `SECRET`, `TOKEN`, `CREDENTIALS`, `APIKEY` or a pair such as `API_KEY`,
    ///   `PRIVATE_KEY`, `ACCESS_KEY`, `SIGNING_KEY`, `ENCRYPTION_KEY` (`_`, `-`, `.` and
    ///   camelCase separate words) and any non-empty literal; weaker names (a final `KEY`,
    ///   `PWD`, `PASS`, `AUTH`) count only when the value looks random (16 characters or more,
    ///   letters and digits, high entropy).
    ///
    /// Names that describe a secret rather than hold it (ending in `FILE`, `PATH`, `NAME`,
    /// `URL`, `TTL`, `LENGTH`, `ID`, ...) and values that are placeholders or references
    /// (`changeme`, `<password>`, `xxxx`, `$(VAR)`, `${VAR}`, `{{ ... }}`, file paths,
    /// `vault:` or `arn:aws:secretsmanager:` references, booleans) are not reported.
    /// `valueFrom` is not a literal; exposing Secrets through it is rule K150.
    ///
    /// Messages never repeat the secret: they show at most the public prefix of a known format
    /// and the length.
    ///
    /// ## Why it matters
    /// A literal in a manifest is stored in plain text wherever the manifest goes: Git
    /// history, CI logs, Helm release records, `kubectl get -o yaml` output and the
    /// `last-applied-configuration` annotation, readable by anyone with read access to the
    /// workload, which is far more people than should hold the credential. Rotating it means
    /// rewriting history.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     value: hunter2-but-longer
    /// ```
    /// Use instead: a Secret (created out of band, or by an external secrets operator),
    /// preferably mounted as a file.
    /// ```yaml
    /// volumeMounts:
    ///   - {name: db, mountPath: /run/secrets/db, readOnly: true}
    /// volumes:
    ///   - name: db
    ///     secret: {secretName: db-credentials}
    /// ```
    pub struct SecretInEnv {
        code: "K142",
        name: "secret-in-env",
        title: "Secret written literally in an environment variable",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Secrets,
        references: refs![
            Cis: ["5.4.2"],
            Nsa: ["secrets"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-798"],
        ],
        equivalents: &[
            "kubescape:C-0012",
            "kube-linter:env-var-secret",
            "polaris:sensitiveContainerEnvVar",
        ],
    }
}

impl Check<Objects> for SecretInEnv {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        for container in pod.containers() {
            let env = container.node.get("env").map(Node::items).unwrap_or(&[]);
            for (index, variable) in env.iter().enumerate() {
                let name = variable.get("name").and_then(Node::as_str).unwrap_or("");
                let Some(value) = variable.get("value").and_then(Node::as_str) else {
                    continue;
                };
                let Some(found) = detect(name, value) else {
                    continue;
                };
                hits.push(Hit::new(
                    push_pointer(&format!("{}/env/{index}", container.pointer), "value"),
                    format!(
                        "{} sets `{name}` to {} ({}); put it in a Secret and mount that as a \
                         file",
                        describe(&container),
                        found.what,
                        found.redacted
                    ),
                ));
            }
        }
    }
}
