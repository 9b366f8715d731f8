use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-controller-manager containers that leave `--terminated-pod-gc-threshold` at its
    /// default, 12500 (kubeadm leaves it too).
    ///
    /// ## Why it matters
    /// The pod garbage collector deletes finished pods only once more than this many exist.
    /// At 12500, a cluster where anyone can create Jobs or failing pods keeps thousands of dead
    /// pod objects in etcd and in every client's list and watch, slowing the control plane;
    /// a threshold sized for the cluster bounds that.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-controller-manager
    ///   - --kubeconfig=/etc/kubernetes/controller-manager.conf
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --terminated-pod-gc-threshold=1000
    /// ```
    pub struct ControllerManagerPodGcThreshold {
        code: "K423",
        name: "controller-manager-pod-gc-threshold",
        title: "Terminated pods are kept up to the default threshold",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.3.1"],
            Mitre: ["T1499"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &[
            "kube-bench:1.3.1",
            "trivy:KCV-0033",
            "checkov:CKV_K8S_106",
            "kubescape:C-0144",
        ],
    }
}

impl Check<Objects> for ControllerManagerPodGcThreshold {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ControllerManager,
            "terminated-pod-gc-threshold",
            Want::Set,
            "set `--terminated-pod-gc-threshold` to what the cluster needs",
        );
    }
}
