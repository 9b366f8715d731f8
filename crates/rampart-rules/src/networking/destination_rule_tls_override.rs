use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{list, named, names};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Istio DestinationRules whose `trafficPolicy.tls.mode` (or a port's, under
    /// `portLevelSettings`, or a subset's, for the pods with the subset's labels) is `DISABLE`,
    /// `SIMPLE` or `MUTUAL` for a host whose workloads are in the mesh, while meshed clients of the namespaces the rule is exported to (`exportTo`)
    /// can reach them. The host is matched against the scan's Services: a short name in the
    /// rule's namespace, or `<service>.<namespace>.svc.cluster.local`, possibly with a leading
    /// `*`.
    ///
    /// ## Why it matters
    /// A TLS setting in a DestinationRule replaces Istio's automatic mutual TLS toward that
    /// host. `DISABLE` makes the client's sidecar send plaintext; `SIMPLE` and `MUTUAL`
    /// originate TLS with other certificates, so the server's sidecar sees no workload identity
    /// and authorization policies on principals no longer apply. Against a server in `STRICT`
    /// mode the connections fail; against `PERMISSIVE` they go through, unprotected.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata:
    ///   name: reviews
    ///   namespace: shop
    /// spec:
    ///   host: reviews
    ///   trafficPolicy:
    ///     tls:
    ///       mode: DISABLE
    /// ```
    /// Use instead: leave TLS to Istio (no `tls` block), or say so.
    /// ```yaml
    /// spec:
    ///   host: reviews
    ///   trafficPolicy:
    ///     tls:
    ///       mode: ISTIO_MUTUAL
    /// ```
    pub struct DestinationRuleTlsOverride {
        code: "K332",
        name: "destination-rule-tls-override",
        title: "DestinationRule replaces Istio mutual TLS toward workloads in the mesh",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Nsa: ["network-separation"],
            Mitre: ["T1557", "T1040"],
            Cwe: ["CWE-319"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for DestinationRuleTlsOverride {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        if target.object.kind != "DestinationRule" {
            return;
        }
        let Some(object) = target.cluster.index_of(target.object) else {
            return;
        };
        let mesh = target.cluster.mesh(&target.options.mesh());
        for tls in mesh.tls_overrides(object) {
            if tls.clients.is_empty() {
                continue;
            }
            let subset = tls
                .setting
                .subset
                .as_ref()
                .map(|subset| format!(" for subset `{}`", subset.name))
                .unwrap_or_default();
            let port = tls
                .setting
                .port
                .map(|port| format!(" on service port {port}"))
                .unwrap_or_default();
            let (effect, severity) = if tls.setting.mode == "DISABLE" {
                ("send plaintext", Severity::High)
            } else {
                (
                    "originate TLS with the rule's own certificates, without workload identity,",
                    Severity::Medium,
                )
            };
            let clients = names(mesh, &tls.clients);
            let evidence = named(&tls.destinations)
                .iter()
                .map(|&pod| mesh.pod_evidence("workload", pod))
                .chain(
                    named(&tls.clients)
                        .iter()
                        .map(|&pod| mesh.pod_evidence("peer", pod)),
                )
                .collect();
            let outcome = if tls.destinations.iter().all(|&d| mesh.requires_mtls(d)) {
                "it requires mutual TLS, so these connections fail"
            } else {
                "it accepts them without mutual TLS"
            };
            hits.push(
                Hit::new(
                    tls.setting.pointer.clone(),
                    format!(
                        "TLS mode {}{subset}{port} makes meshed clients {effect} instead of using Istio \
                         mutual TLS toward {} ({outcome}), and {} of them can reach it: {}; \
                         use ISTIO_MUTUAL or remove the `tls` setting",
                        tls.setting.mode,
                        list(&names(mesh, &tls.destinations)),
                        clients.len(),
                        list(&clients),
                    ),
                )
                .with_severity(severity)
                .with_evidence(evidence),
            );
        }
    }
}
