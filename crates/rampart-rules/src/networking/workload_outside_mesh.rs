use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::mesh::Proxy;

use super::common::{list, mesh_workload, named, names, ports_evidence};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Workloads outside the service mesh that meshed workloads can reach under the
    /// NetworkPolicies: those connections leave the client's proxy in plaintext. A pod is in
    /// Istio's mesh when the injector gives it a sidecar (namespace label
    /// `istio-injection: enabled` or `istio.io/rev`, pod label `sidecar.istio.io/inject:
    /// "true"` or `istio.io/rev`, never with `sidecar.istio.io/inject: "false"`) or its
    /// namespace is in ambient mode (`istio.io/dataplane-mode: ambient`); in Linkerd's when
    /// `linkerd.io/inject` is `enabled` (or `ingress`) on the pod or its namespace. Pods on the
    /// host network get no proxy. Reported only when some workload of the scan is in a mesh.
    ///
    /// ## Why it matters
    /// A mesh encrypts only between its proxies. Meshed services calling a service outside it
    /// (a database, a cache, a legacy service) send credentials and data in plaintext, readable
    /// and alterable on the path, and the service cannot tell which workload called it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: data
    /// ```
    /// Use instead: put the namespace (or the workload) in the mesh.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: data
    ///   labels: {istio-injection: enabled}
    /// ```
    pub struct WorkloadOutsideMesh {
        code: "K331",
        name: "workload-outside-mesh",
        title: "Workload outside the service mesh is reached by meshed workloads in plaintext",
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

impl Check<Objects> for WorkloadOutsideMesh {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((mesh, workload)) = mesh_workload(target) else {
            return;
        };
        if mesh.workloads[workload].proxy != Proxy::None {
            return;
        }
        let Some(pod) = &target.pod else {
            return;
        };
        for mut paths in mesh.plaintext_into(workload) {
            paths
                .sources
                .retain(|(source, _)| mesh.workloads[*source].proxy != Proxy::None);
            if paths.sources.is_empty() {
                continue;
            }
            let pods: Vec<usize> = paths.sources.iter().map(|(pod, _)| *pod).collect();
            let sources = names(mesh, &pods);
            let ports = paths.ports();
            let evidence = named(&pods)
                .iter()
                .map(|&pod| mesh.pod_evidence("peer", pod))
                .chain([ports_evidence(&ports)])
                .collect();
            hits.push(Hit::new(
                pod.metadata_pointer,
                format!(
                    "not in the service mesh ({}), yet {} meshed workload{} can reach it on {}, \
                     in plaintext: {}; add it to the mesh (Istio: namespace label \
                     `istio-injection: enabled`; Linkerd: annotation `linkerd.io/inject: enabled`; \
                     a pod on the host network must leave it first)",
                    paths.reason,
                    sources.len(),
                    if sources.len() == 1 { "" } else { "s" },
                    ports,
                    list(&sources),
                ),
            ).with_evidence(evidence));
        }
    }
}
