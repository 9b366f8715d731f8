use rampart_core::{Concern, Layer, Severity, refs};

use super::linked::kubeconfig;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Clusters of a kubeconfig (`kind: Config`) with `insecure-skip-tls-verify: true`. Every
    /// kubeconfig in the scan is checked; the message names the component flags that read it.
    ///
    /// ## Why it matters
    /// The client then accepts any certificate from the server. Whoever can intercept the
    /// connection (ARP or DNS spoofing on the node's network, a rogue proxy) receives the
    /// client's credentials, and can answer in the API server's place, which for a scheduler
    /// or controller manager means steering where pods run and what they are given.
    ///
    /// ## Example
    /// ```yaml
    /// clusters:
    ///   - name: kubernetes
    ///     cluster:
    ///       server: https://10.0.0.1:6443
    ///       insecure-skip-tls-verify: true
    /// ```
    /// Use instead:
    /// ```yaml
    ///       certificate-authority-data: <the cluster CA, base64>
    /// ```
    pub struct KubeconfigSkipTlsVerify {
        code: "K484",
        name: "kubeconfig-skip-tls-verify",
        title: "Kubeconfig does not verify the API server's certificate",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for KubeconfigSkipTlsVerify {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((config, readers)) = kubeconfig(target) else {
            return;
        };
        for cluster in config.clusters.iter().filter(|c| c.skips_tls_verify) {
            hits.push(Hit::new(
                format!("{}/insecure-skip-tls-verify", cluster.pointer),
                format!(
                    "cluster `{}` is reached without verifying the server's certificate{readers}: remove `insecure-skip-tls-verify` and set `certificate-authority-data`",
                    cluster.name
                ),
            ));
        }
    }
}
