use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::workload::runs_pods;

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Workloads (Pods and every kind that creates them: Deployments, StatefulSets,
    /// DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs, PodTemplates) placed in
    /// the `default` namespace, or with no `metadata.namespace` at all.
    ///
    /// An object without a namespace lands in whatever namespace the tool applying it uses:
    /// kubectl's current context (usually `default`), `kubectl -n`, Helm's `--namespace`, or
    /// Argo CD's destination. That is often intended for charts and Kustomize bases, where the
    /// namespace is set at deploy time; suppress the rule for such sources, or set the
    /// namespace in the rendered output (`helm template --namespace`, Kustomize `namespace:`)
    /// before scanning it. Services, ConfigMaps and other non-workload objects are not
    /// checked: the exposure is in what runs.
    ///
    /// ## Why it matters
    /// Namespaces are the boundary RBAC, NetworkPolicies, ResourceQuotas and Pod Security
    /// Admission labels attach to. The `default` namespace is the one everyone can deploy to
    /// by accident, it rarely has any of those controls, and workloads piled into it share
    /// whatever permissions and network access anyone granted there. Separate namespaces keep
    /// a compromise of one application from reaching the others.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: payments
    /// ```
    /// Use instead:
    /// ```yaml
    /// metadata:
    ///   name: payments
    ///   namespace: payments
    /// ```
    pub struct DefaultNamespace {
        code: "K147",
        name: "default-namespace",
        title: "Workload is in the default namespace",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Cis: ["5.6.1", "5.6.4"],
            Nsa: ["namespaces"],
            Cwe: ["CWE-653"],
        ],
        equivalents: &[
            "trivy:KSV-0110",
            "checkov:CKV_K8S_21",
            "kubescape:C-0061",
            "kube-linter:use-namespace",
        ],
    }
}

impl Check<Objects> for DefaultNamespace {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let object = target.object;
        if !runs_pods(&object.api_version, &object.kind) {
            return;
        }
        let message = match object.namespace.as_deref().filter(|n| !n.is_empty()) {
            Some("default") => format!(
                "{} `{}` is in the `default` namespace; give it a namespace of its own",
                object.kind, object.name
            ),
            Some(_) => return,
            None => format!(
                "{} `{}` has no namespace, so it lands in whichever namespace it is applied to, \
                 `default` unless told otherwise; set metadata.namespace",
                object.kind, object.name
            ),
        };
        hits.push(Hit::new("/metadata/namespace", message));
    }
}
