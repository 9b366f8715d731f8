use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::admission_plugins;
use super::flags::{Element, check_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers that turn on the `AlwaysAdmit` admission plugin, in
    /// `--enable-admission-plugins` or the deprecated `--admission-control`, without turning
    /// it off again in `--disable-admission-plugins`.
    ///
    /// ## Why it matters
    /// `AlwaysAdmit` admits every request without looking at it. It was meant for testing and is
    /// deprecated; its presence shows that the admission chain was configured by hand and that
    /// the controls expected of it (Pod Security admission, NodeRestriction, quotas) may not be
    /// what is running.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --enable-admission-plugins=AlwaysAdmit,NodeRestriction
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --enable-admission-plugins=NodeRestriction
    /// ```
    pub struct ApiserverAlwaysAdmit {
        code: "K404",
        name: "apiserver-always-admit",
        title: "API server enables the AlwaysAdmit admission plugin",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.10"],
            Nsa: ["control-plane-hardening"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &[
            "kube-bench:1.2.10",
            "trivy:KCV-0011",
            "checkov:CKV_K8S_79",
            "kubescape:C-0122",
        ],
    }
}

impl Check<Objects> for ApiserverAlwaysAdmit {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_list(
            target,
            hits,
            Component::ApiServer,
            "admission plugins",
            admission_plugins,
            Element::Excludes("AlwaysAdmit"),
            "remove `AlwaysAdmit` from the admission plugins",
        );
    }
}
