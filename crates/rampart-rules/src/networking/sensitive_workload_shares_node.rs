use rampart_core::{Concern, Evidence, Layer, Severity, refs};
use rampart_k8s::PodTemplate;
use rampart_k8s::placement::{Colocation, Workload};
use rampart_source::Node;

use super::common::{list, named};
use crate::options::has_label;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Workloads marked sensitive (the label of the `sensitive-label` option, by default
    /// `rampart.dev/sensitive: "true"`, on the workload or its pod template) that the scheduler
    /// may place on the same node as a workload that can reach into its node (it breaks the Pod
    /// Security Standards Baseline: privileged containers, host namespaces, hostPath volumes,
    /// added capabilities, …) or one marked untrusted (`untrusted-label`, by default
    /// `rampart.dev/untrusted: "true"`).
    ///
    /// Placement is computed the way the scheduler filters nodes: `nodeName`, `nodeSelector`,
    /// required node affinity (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`,
    /// `matchFields`), taints with `NoSchedule`/`NoExecute` against tolerations (with the ones
    /// the control plane adds, e.g. DaemonSets tolerate cordoned nodes), and required pod
    /// anti-affinity on `kubernetes.io/hostname`. When the scan holds Node objects, two
    /// workloads share a node if one node fits both, and the finding names it; without Nodes,
    /// only requirements that no node could meet together keep them apart.
    ///
    /// ## Why it matters
    /// Namespaces, NetworkPolicies and RBAC separate workloads inside the cluster; the node
    /// does not. A container that escapes to its node (a privileged container, `hostPID`, a
    /// hostPath mount of `/` or the runtime socket) reads the memory, files, Secrets and service
    /// account tokens of every pod on that node, and an untrusted workload is one kernel or
    /// runtime bug away from the same. Keeping sensitive workloads on nodes of their own is what
    /// limits that blast radius.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: payments
    ///   labels: {rampart.dev/sensitive: "true"}
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: registry.example.com/payments:1.4.2
    /// ```
    /// Use instead: a dedicated node pool, tainted so that nothing else lands there, and
    /// selected by the sensitive workload only.
    /// ```yaml
    /// spec:
    ///   template:
    ///     spec:
    ///       nodeSelector: {pool: payments}
    ///       tolerations:
    ///         - {key: dedicated, operator: Equal, value: payments, effect: NoSchedule}
    /// ```
    pub struct SensitiveWorkloadSharesNode {
        code: "K340",
        name: "sensitive-workload-shares-node",
        title: "Sensitive workload can share a node with privileged or untrusted workloads",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Nsa: ["network-separation", "pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-653"],
        ],
        equivalents: &[],
    }
}

/// Whether the workload, or the object it was made from, carries the label `spec` names.
fn marked(spec: &str, workload: &Workload) -> bool {
    has_label(spec, &workload.labels) || has_label(spec, &workload.object_labels)
}

/// Whether the object or its pod template carries the label `spec`, read from the manifest.
fn marked_in_manifest(spec: &str, pod: &PodTemplate<'_>) -> bool {
    [pod.object.metadata(), pod.metadata]
        .into_iter()
        .any(|metadata| {
            let labels: Vec<(String, String)> = metadata
                .get("labels")
                .map(Node::entries)
                .unwrap_or(&[])
                .iter()
                .filter_map(|e| Some((e.key.to_string(), e.value.as_str()?.to_owned())))
                .collect();
            has_label(spec, &labels)
        })
}

impl Check<Objects> for SensitiveWorkloadSharesNode {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else {
            return;
        };
        let options = target.options;
        // The placement model covers every workload of the scan: built only once a workload
        // is marked sensitive.
        if !marked_in_manifest(&options.sensitive_label, pod) {
            return;
        }
        let placement = target.cluster.placement();
        let Some(index) = target
            .cluster
            .index_of(target.object)
            .and_then(|object| placement.workload_of(object))
        else {
            return;
        };
        let neighbours: Vec<(String, Vec<Evidence>)> = placement
            .workloads
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .filter_map(|(other, neighbour)| {
                let mut why = neighbour.host_access.clone();
                if marked(&options.untrusted_label, neighbour) {
                    why.insert(0, "untrusted".to_owned());
                }
                if why.is_empty() {
                    return None;
                }
                let mut evidence = vec![neighbour.evidence("workload")];
                let place = match placement.colocation(index, other)? {
                    Colocation::Node(node) => {
                        evidence.push(node.evidence());
                        format!("both fit node {}", node.name)
                    }
                    Colocation::Unconstrained => "no node requirement keeps them apart".to_owned(),
                };
                let text = format!("{} ({}; {place})", neighbour.display_name(), why.join(", "));
                Some((text, evidence))
            })
            .collect();
        if neighbours.is_empty() {
            return;
        }
        let evidence = named(&neighbours)
            .iter()
            .flat_map(|(_, evidence)| evidence.iter().cloned())
            .collect();
        let neighbours: Vec<String> = neighbours.into_iter().map(|(text, _)| text).collect();
        // The fix goes where the pod says where it runs.
        let field = ["nodeSelector", "affinity"]
            .into_iter()
            .find(|field| pod.spec.get(field).is_some())
            .unwrap_or("nodeSelector");
        hits.push(Hit::new(
            format!("{}/{field}", pod.spec_pointer),
            format!(
                "sensitive workload can be scheduled on the same node as {} workload{} that can \
                 reach into the node or are untrusted: {}; pin it to dedicated nodes (a \
                 nodeSelector or required node affinity for a pool tainted so that only it \
                 tolerates the taint)",
                neighbours.len(),
                if neighbours.len() == 1 { "" } else { "s" },
                list(&neighbours)
            ),
        )
        .with_evidence(evidence));
    }
}
