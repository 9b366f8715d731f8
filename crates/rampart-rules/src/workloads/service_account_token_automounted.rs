use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::{Node, push_pointer};

use super::common::service_account;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods that do not set `automountServiceAccountToken: false` in their spec, so that the
    /// kubelet mounts an API token of the pod's service account into every container at
    /// `/var/run/secrets/kubernetes.io/serviceaccount`.
    ///
    /// When the pod leaves the field unset, the ServiceAccount's own
    /// `automountServiceAccountToken` decides: rampart looks the ServiceAccount up among the
    /// scanned objects and stays silent when it disables automounting. When the ServiceAccount
    /// is not part of the scan the pod is reported, as the token is mounted by default. Setting
    /// the field on the pod is the explicit, reviewable form and wins over the ServiceAccount;
    /// a workload that needs the API can mount a short-lived token through a projected
    /// `serviceAccountToken` volume instead.
    ///
    /// ## Why it matters
    /// Most applications never call the Kubernetes API, yet by default each of their
    /// containers holds a bearer token for it. Whoever gets code execution in any of them (or
    /// can read files through a path traversal) takes the token and acts as the service
    /// account: reading secrets, creating pods or whatever RBAC grants it, from inside the
    /// cluster or from anywhere the API server is reachable.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceAccountName: web
    ///   containers:
    ///     - name: web
    ///       image: registry.example.com/web:2.1.0
    /// ```
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   serviceAccountName: web
    ///   automountServiceAccountToken: false
    /// ```
    pub struct ServiceAccountTokenAutomounted {
        code: "K140",
        name: "service-account-token-automounted",
        title: "Service account token is mounted automatically",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Cis: ["5.1.6"],
            Nsa: ["protecting-pod-service-account-tokens"],
            Mitre: ["T1528"],
            Cwe: ["CWE-522"],
        ],
        equivalents: &[
            "trivy:KSV-0036",
            "checkov:CKV_K8S_38",
            "kubescape:C-0034",
            "kubescape:C-0190",
            "polaris:automountServiceAccountToken",
        ],
    }
}

impl Check<Objects> for ServiceAccountTokenAutomounted {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        let field = "automountServiceAccountToken";
        let (account, _) = service_account(pod);
        let message = match pod.spec.get(field).filter(|value| !value.is_null()) {
            Some(value) if value.as_bool() == Some(false) => return,
            Some(value) => format!(
                "automountServiceAccountToken is {}: every container gets an API token of \
                 service account `{account}`; set it to false unless the workload calls the \
                 Kubernetes API",
                value.display_scalar()
            ),
            None => {
                // An unset pod field defers to the ServiceAccount, when the scan holds it.
                let namespace = target.object.namespace.as_deref();
                let from_account = target
                    .cluster
                    .service_account(namespace, account)
                    .and_then(|sa| sa.root.get(field))
                    .and_then(Node::as_bool);
                match from_account {
                    Some(false) => return,
                    Some(true) => format!(
                        "automountServiceAccountToken is not set on the pod and service account \
                         `{account}` sets it to true, so every container gets an API token; set \
                         it to false on the pod unless the workload calls the Kubernetes API"
                    ),
                    None => format!(
                        "automountServiceAccountToken is not set, so every container gets an API \
                         token of service account `{account}` unless that ServiceAccount disables \
                         it; set it to false on the pod unless the workload calls the Kubernetes API"
                    ),
                }
            }
        };
        hits.push(Hit::new(push_pointer(pod.spec_pointer, field), message));
    }
}
