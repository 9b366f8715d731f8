use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Node;

use super::common::describe;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind that receive Secrets through environment variables: an `env`
    /// entry with `valueFrom.secretKeyRef`, or an `envFrom` entry with `secretRef` (which
    /// imports every key of the Secret).
    ///
    /// ## Why it matters
    /// Environment variables leak far more easily than files. They are inherited by every
    /// child process, shown by `/proc/<pid>/environ` to anything running as the same user (and
    /// to every container of a pod sharing its process namespace), printed by crash reporters,
    /// debug endpoints and error pages, and captured in support bundles. They are read once at
    /// start, so a rotated Secret needs a restart. A Secret mounted as a file is only readable
    /// where it is mounted, with the file mode you choose, and is updated in place.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef: {name: db-credentials, key: password}
    /// ```
    /// Use instead:
    /// ```yaml
    /// volumeMounts:
    ///   - {name: db, mountPath: /run/secrets/db, readOnly: true}
    /// volumes:
    ///   - name: db
    ///     secret: {secretName: db-credentials, defaultMode: 0400}
    /// ```
    pub struct SecretAsEnv {
        code: "K150",
        name: "secret-as-env",
        title: "Secret exposed through environment variables",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Secrets,
        references: refs![
            Cis: ["5.4.1"],
            Nsa: ["secrets"],
            Mitre: ["T1552"],
            Cwe: ["CWE-526"],
        ],
        equivalents: &[
            "checkov:CKV_K8S_35",
            "kubescape:C-0207",
            "kube-linter:read-secret-from-env-var",
        ],
    }
}

impl Check<Objects> for SecretAsEnv {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        let text = |node: &Node, field: &str| {
            node.get(field)
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_owned()
        };
        for container in pod.containers() {
            let env = container.node.get("env").map(Node::items).unwrap_or(&[]);
            for (index, variable) in env.iter().enumerate() {
                let Some(reference) = variable.path(&["valueFrom", "secretKeyRef"]) else {
                    continue;
                };
                hits.push(Hit::new(
                    format!("{}/env/{index}/valueFrom/secretKeyRef", container.pointer),
                    format!(
                        "{} reads key `{}` of Secret `{}` into environment variable `{}`; mount \
                         the Secret as a file instead",
                        describe(&container),
                        text(reference, "key"),
                        text(reference, "name"),
                        text(variable, "name")
                    ),
                ));
            }
            let env_from = container
                .node
                .get("envFrom")
                .map(Node::items)
                .unwrap_or(&[]);
            for (index, source) in env_from.iter().enumerate() {
                let Some(reference) = source.get("secretRef") else {
                    continue;
                };
                hits.push(Hit::new(
                    format!("{}/envFrom/{index}/secretRef", container.pointer),
                    format!(
                        "{} imports every key of Secret `{}` as environment variables; mount \
                         the Secret as a file instead",
                        describe(&container),
                        text(reference, "name")
                    ),
                ));
            }
        }
    }
}
