use rampart_core::{Concern, Layer, Severity, refs};

use super::linked::kubeconfig;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Clusters of a kubeconfig whose `server` is an `http://` URL. Every kubeconfig in the
    /// scan is checked; the message names the component flags that read it.
    ///
    /// ## Why it matters
    /// Requests and their credentials (bearer tokens, passwords) cross the network in clear
    /// text, and nothing proves the answer comes from the API server. Since Kubernetes 1.20
    /// the API server has no insecure port, so such a URL points at a proxy that strips TLS,
    /// or at something that is not the API server at all.
    ///
    /// ## Example
    /// ```yaml
    ///     cluster:
    ///       server: http://10.0.0.1:8080
    /// ```
    /// Use instead:
    /// ```yaml
    ///     cluster:
    ///       server: https://10.0.0.1:6443
    ///       certificate-authority-data: <the cluster CA, base64>
    /// ```
    pub struct KubeconfigPlainHttp {
        code: "K485",
        name: "kubeconfig-plain-http",
        title: "Kubeconfig reaches the API server over plain HTTP",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1557"],
            Cwe: ["CWE-319"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for KubeconfigPlainHttp {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((config, readers)) = kubeconfig(target) else {
            return;
        };
        let plain = config.clusters.iter().filter(|cluster| {
            cluster
                .server
                .get(..7)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
        });
        for cluster in plain {
            hits.push(Hit::new(
                format!("{}/server", cluster.pointer),
                format!(
                    "cluster `{}` is reached at `{}`, without TLS{readers}: use the API server's `https://` address and its CA",
                    cluster.name, cluster.server
                ),
            ));
        }
    }
}
