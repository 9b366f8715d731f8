use std::net::IpAddr;

use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-controller-manager and kube-scheduler containers whose `--bind-address` is not a
    /// loopback address. Both binaries default to `0.0.0.0` (every interface); kubeadm sets
    /// `127.0.0.1`.
    ///
    /// ## Why it matters
    /// These components serve health, metrics and, with profiling on, `/debug/pprof` on their
    /// secure port. Control-plane pods run in the host network, so a non-loopback bind address
    /// puts that port on the node's interfaces, reachable from every pod and node that can route
    /// to it, with nothing in front of it but the component's delegated authentication.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-scheduler
    ///   - --bind-address=0.0.0.0
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --bind-address=127.0.0.1
    /// ```
    pub struct BindAddressNotLoopback {
        code: "K414",
        name: "component-bind-address-not-loopback",
        title: "Controller manager or scheduler listens beyond loopback",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.3.7", "1.4.2"],
            Nsa: ["control-plane-hardening"],
            Cwe: ["CWE-668"],
        ],
        equivalents: &[
            "kube-bench:1.3.7",
            "kube-bench:1.4.2",
            "trivy:KCV-0039",
            "trivy:KCV-0041",
            "checkov:CKV_K8S_113",
            "checkov:CKV_K8S_115",
            "kubescape:C-0150",
            "kubescape:C-0152",
        ],
    }
}

impl Check<Objects> for BindAddressNotLoopback {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for component in [Component::ControllerManager, Component::Scheduler] {
            check_flag(
                target,
                hits,
                component,
                "bind-address",
                Want::Satisfies(is_loopback, "a loopback address"),
                "set `--bind-address=127.0.0.1`",
            );
        }
    }
}

fn is_loopback(address: &str) -> bool {
    address
        .parse::<IpAddr>()
        .is_ok_and(|address| address.is_loopback())
}
