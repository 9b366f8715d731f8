use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::{Node, push_pointer};

use super::common::service_account;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods that run as their namespace's `default` service account: `serviceAccountName` is
    /// unset, empty or `default` (the deprecated `serviceAccount` field counts when
    /// `serviceAccountName` is not set, as the API server copies it over).
    ///
    /// Not reported: pods that hold no token of it, that is with
    /// `automountServiceAccountToken: false` and no projected `serviceAccountToken` volume.
    ///
    /// ## Why it matters
    /// Every pod of a namespace that names no service account shares `default`. A permission
    /// granted to it for one workload (a common shortcut) is granted to all of them, including
    /// whatever is deployed there later, and audit logs cannot tell the workloads apart. A
    /// dedicated service account per workload keeps RBAC grants, cloud identity bindings
    /// (IRSA, Workload Identity) and audit trails specific.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: billing
    ///       image: registry.example.com/billing:4.0.2
    /// ```
    /// Use instead: a ServiceAccount of its own.
    /// ```yaml
    /// spec:
    ///   serviceAccountName: billing
    ///   containers:
    ///     - name: billing
    ///       image: registry.example.com/billing:4.0.2
    /// ```
    pub struct DefaultServiceAccount {
        code: "K141",
        name: "default-service-account",
        title: "Pod uses the default service account",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Cis: ["5.1.5"],
            Nsa: ["protecting-pod-service-account-tokens"],
            Mitre: ["T1078.001"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &["kube-linter:default-service-account"],
    }
}

/// Whether a projected volume carries a service account token.
fn projects_token(volume: &Node) -> bool {
    volume
        .path(&["projected", "sources"])
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .any(|source| source.get("serviceAccountToken").is_some())
}

impl Check<Objects> for DefaultServiceAccount {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        let (account, field) = service_account(pod);
        if account != "default" {
            return;
        }
        let automount = pod
            .spec
            .get("automountServiceAccountToken")
            .and_then(Node::as_bool);
        if automount == Some(false) && !pod.volumes().any(|(_, volume)| projects_token(volume)) {
            return;
        }
        let (pointer, how) = match field {
            Some("serviceAccount") => (
                push_pointer(pod.spec_pointer, "serviceAccount"),
                "it is named in the deprecated serviceAccount field",
            ),
            Some(field) => (
                push_pointer(pod.spec_pointer, field),
                "it is named explicitly",
            ),
            None => (
                push_pointer(pod.spec_pointer, "serviceAccountName"),
                "serviceAccountName is not set",
            ),
        };
        hits.push(Hit::new(
            pointer,
            format!(
                "pod runs as the namespace's `default` service account ({how}), whose \
                 permissions every such pod shares; create a dedicated ServiceAccount and set \
                 serviceAccountName"
            ),
        ));
    }
}
