use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::mesh::{Inbound, Proxy};

use super::common::{list, mesh_workload, named, names, ports_evidence};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Workloads in a service mesh (Istio sidecar or ambient, Linkerd) that take plaintext
    /// connections from workloads NetworkPolicies let reach them: one finding per workload and
    /// deciding setting, naming the sources and the TCP ports.
    ///
    /// Istio's PeerAuthentication is resolved as istiod composes it: the oldest mesh-wide policy
    /// (root namespace, no selector; option `istio-root-namespace`), then the namespace's, then
    /// the oldest one whose selector matches the pod, each overriding the one before unless its
    /// mode is `UNSET`, then `portLevelMtls` per port; without any, Istio is `PERMISSIVE`.
    /// `DISABLE` (and ports the sidecar does not capture, `traffic.sidecar.istio.io/
    /// excludeInboundPorts` or `includeInboundPorts`) takes plaintext even from meshed clients
    /// (in ambient mode, where ztunnel always tunnels between meshed pods, `DISABLE` acts as
    /// `PERMISSIVE`); `PERMISSIVE` takes it from clients without a proxy of the same mesh. Linkerd takes
    /// plaintext from clients without its proxy under the inbound policies `all-unauthenticated`
    /// (its default), `cluster-unauthenticated` and `audit`, and from everyone on
    /// `config.linkerd.io/skip-inbound-ports`; a port a `Server` selects is decided by the
    /// Server instead: plaintext when its `accessPolicy` is one of those, or an
    /// `AuthorizationPolicy` requiring only `NetworkAuthentication`s, or a `ServerAuthorization`
    /// with `client.unauthenticated: true`, authorizes it. Clients whose outgoing connections bypass their
    /// own proxy on a port (`excludeOutboundPorts`, `skip-outbound-ports`) count as clients
    /// without one there.
    ///
    /// ## Why it matters
    /// Plaintext between services can be read and altered by anyone on the path: a compromised
    /// pod on the same node with `NET_RAW` or host networking, a node, or the network
    /// (ARP spoofing, a rogue CNI peer). It also carries no workload identity, so a pod outside
    /// the mesh can call a service as if it were trusted, and authorization policies written
    /// against mesh identities do not apply to it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata:
    ///   name: default
    ///   namespace: shop
    /// spec:
    ///   mtls:
    ///     mode: PERMISSIVE
    /// ```
    /// Use instead: require mutual TLS once every client is in the mesh.
    /// ```yaml
    /// spec:
    ///   mtls:
    ///     mode: STRICT
    /// ```
    pub struct MeshPlaintextAccepted {
        code: "K330",
        name: "mesh-plaintext-accepted",
        title: "Workload in a service mesh accepts plaintext from workloads that can reach it",
        severity: Severity::Medium,
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

impl Check<Objects> for MeshPlaintextAccepted {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((mesh, workload)) = mesh_workload(target) else {
            return;
        };
        if mesh.workloads[workload].proxy == Proxy::None {
            return;
        }
        let Some(pod) = &target.pod else {
            return;
        };
        for paths in mesh.plaintext_into(workload) {
            let pods: Vec<usize> = paths.sources.iter().map(|(pod, _)| *pod).collect();
            let sources = names(mesh, &pods);
            let ports = paths.ports();
            let evidence = paths
                .decided_by
                .iter()
                .cloned()
                .chain(
                    named(&pods)
                        .iter()
                        .map(|&pod| mesh.pod_evidence("peer", pod)),
                )
                .chain([ports_evidence(&ports)])
                .collect();
            let (severity, fix) = match paths.inbound {
                Inbound::Plaintext => (
                    Severity::High,
                    "let the proxy handle these ports with mutual TLS",
                ),
                _ => (
                    Severity::Medium,
                    "require mutual TLS (PeerAuthentication mode STRICT, Linkerd inbound policy \
                     all-authenticated) once every client is in the mesh, or add the clients \
                     to it",
                ),
            };
            hits.push(
                Hit::new(
                    pod.metadata_pointer,
                    format!(
                        "accepts plaintext on {} from {} workload{} that can reach it: {}; {}; {fix}",
                        ports,
                        sources.len(),
                        if sources.len() == 1 { "" } else { "s" },
                        list(&sources),
                        paths.reason,
                    ),
                )
                .with_severity(severity)
                .with_evidence(evidence),
            );
        }
    }
}
