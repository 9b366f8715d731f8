use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::{Evidence, at};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods with `hostPID: true`. This is the process part of the Pod Security Standards
    /// Baseline control "Host Namespaces" (`hostNamespaces`); `K102` and `K104` report its
    /// `hostNetwork` and `hostIPC` parts.
    ///
    /// ## Why it matters
    /// In the node's PID namespace a container sees every process on the node, including
    /// other pods' and the kubelet's, and reads their command lines and, as the same user,
    /// their environment (`/proc/<pid>/environ`), where tokens and passwords often sit. Running
    /// as root it can signal or trace them, and with `CAP_SYS_ADMIN` or `privileged`,
    /// `nsenter -t 1 -a sh` enters every namespace of the node's init process: a root shell on
    /// the node.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostPID: true
    ///   containers:
    ///     - name: debug
    ///       image: registry.example.com/toolbox:2.0.0
    /// ```
    /// Use instead: keep the pod in its own PID namespace; to share processes between the
    /// containers of one pod, use `shareProcessNamespace`.
    /// ```yaml
    /// spec:
    ///   hostPID: false
    /// ```
    pub struct HostPid {
        code: "K103",
        name: "host-pid",
        title: "Pod shares the node's process namespace",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["hostNamespaces"],
            Cis: ["5.2.3"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1055"],
            Cwe: ["CWE-653"],
        ],
        equivalents: &[
            "trivy:KSV-0010",
            "checkov:CKV_K8S_17",
            "kubescape:C-0038",
            "kubescape:C-0275",
            "kube-linter:host-pid",
            "polaris:hostPIDSet",
        ],
    }
}

impl Check<Objects> for HostPid {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "hostNamespaces")
            .only(at("hostPID"))
            .report(
                hits,
                "remove `hostPID`; use `shareProcessNamespace` to share processes within the pod",
            );
    }
}
