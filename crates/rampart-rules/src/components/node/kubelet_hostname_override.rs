use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::HOSTNAME_OVERRIDE;

use super::kubelet::{described, hit_at};
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// Kubelets started with `--hostname-override` (a flag without a configuration field).
    ///
    /// ## Why it matters
    /// The name a kubelet registers under no longer matches the machine's host name. TLS
    /// between the API server and the kubelet verifies the node's name, and the Node
    /// authorizer scopes a kubelet to its own name: a mismatch breaks certificate checks
    /// (tempting operators to turn them off) and makes one node easy to mistake for another.
    ///
    /// ## Example
    /// ```text
    /// ExecStart=/usr/bin/kubelet --hostname-override=worker-7 ...
    /// ```
    /// Use instead: remove the flag and give the machine the host name it should register
    /// under.
    pub struct KubeletHostnameOverride {
        code: "K436",
        name: "kubelet-hostname-override",
        title: "Kubelet overrides the node's host name",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.2.7"],
            Nsa: ["authentication-and-authorization"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &["kube-bench:4.2.7"],
    }
}

impl Check<Nodes> for KubeletHostnameOverride {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(kubelet) = &target.node.kubelet else {
            return;
        };
        let Some(setting) = kubelet.setting(&HOSTNAME_OVERRIDE) else {
            return;
        };
        let message = format!(
            "{}: remove `--hostname-override` and set the machine's host name instead",
            described(&HOSTNAME_OVERRIDE, &setting)
        );
        hits.extend(hit_at(kubelet, &HOSTNAME_OVERRIDE, &setting, message));
    }
}
