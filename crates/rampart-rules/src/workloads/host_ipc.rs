use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::{Evidence, at};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods with `hostIPC: true`. This is the IPC part of the Pod Security Standards Baseline
    /// control "Host Namespaces" (`hostNamespaces`); `K102` and `K103` report its
    /// `hostNetwork` and `hostPID` parts.
    ///
    /// ## Why it matters
    /// In the node's IPC namespace a container shares System V shared memory, semaphores and
    /// message queues, and POSIX message queues, with the node's own processes and every other
    /// pod that sets `hostIPC`. It can read or overwrite the shared memory segments of node
    /// daemons and of those pods (`ipcs -m`, then attach with `shmat`), leaking data they keep
    /// there or corrupting their state.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostIPC: true
    ///   containers:
    ///     - name: cache
    ///       image: registry.example.com/cache:5.1.0
    /// ```
    /// Use instead: keep the pod in its own IPC namespace; containers of one pod already share
    /// it.
    /// ```yaml
    /// spec:
    ///   hostIPC: false
    /// ```
    pub struct HostIpc {
        code: "K104",
        name: "host-ipc",
        title: "Pod shares the node's IPC namespace",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["hostNamespaces"],
            Cis: ["5.2.4"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1005"],
            Cwe: ["CWE-653"],
        ],
        equivalents: &[
            "trivy:KSV-0008",
            "checkov:CKV_K8S_18",
            "kubescape:C-0038",
            "kubescape:C-0276",
            "kube-linter:host-ipc",
            "polaris:hostIPCSet",
        ],
    }
}

impl Check<Objects> for HostIpc {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "hostNamespaces")
            .only(at("hostIPC"))
            .report(
                hits,
                "remove `hostIPC`; containers of one pod already share an IPC namespace",
            );
    }
}
