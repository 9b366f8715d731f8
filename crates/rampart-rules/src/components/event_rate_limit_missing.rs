use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::admission_plugins;
use super::flags::{Element, check_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers that do not turn on the `EventRateLimit` admission plugin (it
    /// is off by default). The plugin reads its limits from the file
    /// `--admission-control-config-file` names.
    ///
    /// ## Why it matters
    /// Events are written by every component and by anything with a service account that may
    /// create them. Without a limit, a broken or hostile client can flood the API server and
    /// etcd with Events, slowing every other request and filling etcd's storage quota, after
    /// which the cluster accepts no more writes.
    ///
    /// ## Example
    /// ```yaml
    ///   - --enable-admission-plugins=NodeRestriction
    /// ```
    /// Use instead, with limits in the admission configuration:
    /// ```yaml
    ///   - --enable-admission-plugins=NodeRestriction,EventRateLimit
    ///   - --admission-control-config-file=/etc/kubernetes/admission.yaml
    /// ```
    pub struct ApiserverEventRateLimitMissing {
        code: "K471",
        name: "apiserver-event-rate-limit-missing",
        title: "API server does not rate-limit Events",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.9"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1499"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &[
            "kube-bench:1.2.9",
            "trivy:KCV-0010",
            "checkov:CKV_K8S_78",
            "kubescape:C-0121",
        ],
    }
}

impl Check<Objects> for ApiserverEventRateLimitMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_list(
            target,
            hits,
            Component::ApiServer,
            "admission plugins",
            admission_plugins,
            Element::Includes("EventRateLimit"),
            "add `EventRateLimit` to `--enable-admission-plugins` and configure its limits",
        );
    }
}
