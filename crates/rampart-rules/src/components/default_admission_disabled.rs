use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::{Component, ComponentContainer, ListItem};

use super::flags::{Element, check_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers that turn off the `ServiceAccount` or `NamespaceLifecycle`
    /// admission plugin with `--disable-admission-plugins`. Both are on by default.
    ///
    /// ## Why it matters
    /// `ServiceAccount` gives each pod its namespace's service account and mounts a bound,
    /// expiring token; without it pods run with whatever account and token they name.
    /// `NamespaceLifecycle` refuses objects in namespaces that do not exist or are being
    /// deleted, and the deletion of `default`, `kube-system` and `kube-public`; without it,
    /// objects created during a namespace's deletion outlive the policies (RBAC,
    /// NetworkPolicies, quotas) that were deleted with it.
    ///
    /// ## Example
    /// ```yaml
    ///   - --disable-admission-plugins=ServiceAccount
    /// ```
    /// Use instead: remove them from `--disable-admission-plugins`.
    pub struct ApiserverDefaultAdmissionDisabled {
        code: "K472",
        name: "apiserver-default-admission-disabled",
        title: "API server turns off the ServiceAccount or NamespaceLifecycle admission plugin",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.12", "1.2.13"],
            Nsa: ["control-plane-hardening"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &[
            "kube-bench:1.2.12",
            "kube-bench:1.2.13",
            "trivy:KCV-0014",
            "trivy:KCV-0015",
            "checkov:CKV_K8S_82",
            "checkov:CKV_K8S_83",
            "kubescape:C-0125",
            "kubescape:C-0126",
        ],
    }
}

impl Check<Objects> for ApiserverDefaultAdmissionDisabled {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for plugin in ["ServiceAccount", "NamespaceLifecycle"] {
            check_list(
                target,
                hits,
                Component::ApiServer,
                "disabled admission plugins",
                disabled_plugins,
                Element::Excludes(plugin),
                "remove it from `--disable-admission-plugins`",
            );
        }
    }
}

fn disabled_plugins(container: &ComponentContainer<'_>) -> Option<Vec<ListItem>> {
    Some(container.list("disable-admission-plugins"))
}
