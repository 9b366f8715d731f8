use rampart_core::{Concern, Layer, Severity, refs};

use super::linked::kubeconfig;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Users of a kubeconfig with a bearer `token` or a `password` written into the file.
    /// Client certificates, `tokenFile`, `exec` plugins and auth providers are not reported.
    /// Every kubeconfig in the scan is checked; the message names the component flags that
    /// read it. The credential itself is never shown.
    ///
    /// ## Why it matters
    /// A token in a file is a credential anyone who reads the file can replay from anywhere,
    /// and static tokens (a service account's legacy Secret token, a `--token-auth-file`
    /// entry) do not expire. Passwords are worse: basic authentication was removed from the
    /// API server in 1.19, so the password is dead weight that only helps whoever reuses it
    /// elsewhere.
    ///
    /// ## Example
    /// ```yaml
    /// users:
    ///   - name: scheduler
    ///     user:
    ///       token: <a long-lived token>
    /// ```
    /// Use instead: a client certificate the cluster rotates, or an `exec` plugin that
    /// fetches short-lived tokens.
    /// ```yaml
    ///     user:
    ///       client-certificate: /var/lib/kube-scheduler/client.crt
    ///       client-key: /var/lib/kube-scheduler/client.key
    /// ```
    pub struct KubeconfigStaticCredentials {
        code: "K486",
        name: "kubeconfig-static-credentials",
        title: "Kubeconfig holds a written token or password",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-798"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for KubeconfigStaticCredentials {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((config, readers)) = kubeconfig(target) else {
            return;
        };
        for credential in &config.static_credentials {
            hits.push(Hit::new(
                &credential.pointer,
                format!(
                    "user `{}` carries a `{}` in the file{readers}: authenticate with a client certificate or an `exec` plugin instead",
                    credential.user, credential.field
                ),
            ));
        }
    }
}
