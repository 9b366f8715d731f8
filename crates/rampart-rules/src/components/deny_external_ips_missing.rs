use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::admission_plugins;
use super::flags::{Element, check_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers that do not turn on the `DenyServiceExternalIPs` admission
    /// plugin (it is off by default), which refuses new `externalIPs` on Services.
    ///
    /// ## Why it matters
    /// kube-proxy routes traffic for a Service's `externalIPs` to the Service's pods, on every
    /// node, whoever owns those addresses (CVE-2020-8554). Anyone allowed to create or update a
    /// Service in any namespace can list the address of a database, a cloud metadata endpoint
    /// or another tenant's service and receive the cluster's traffic meant for it.
    ///
    /// ## Example
    /// ```yaml
    ///   - --enable-admission-plugins=NodeRestriction
    /// ```
    /// Use instead (or restrict `externalIPs` with a policy engine where some are needed):
    /// ```yaml
    ///   - --enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs
    /// ```
    pub struct ApiserverDenyExternalIpsMissing {
        code: "K470",
        name: "apiserver-deny-external-ips-missing",
        title: "API server lets Services claim external IPs",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.3"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1557"],
            Cwe: ["CWE-284"],
        ],
        equivalents: &["kube-bench:1.2.3", "kubescape:C-0283"],
    }
}

impl Check<Objects> for ApiserverDenyExternalIpsMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_list(
            target,
            hits,
            Component::ApiServer,
            "admission plugins",
            admission_plugins,
            Element::Includes("DenyServiceExternalIPs"),
            "add `DenyServiceExternalIPs` to `--enable-admission-plugins`",
        );
    }
}
