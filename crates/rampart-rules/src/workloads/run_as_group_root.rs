use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::{Node, push_pointer};

use super::common::{check_effective, describe};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods whose processes get the root group (GID 0):
    /// - a container (of any kind) whose effective `runAsGroup` is 0, set on the container or
    ///   inherited from the pod-level `securityContext` (inherited values are reported once, at
    ///   the pod field);
    /// - `0` in the pod's `securityContext.supplementalGroups`, which every container gets;
    /// - `securityContext.fsGroup: 0`, which makes GID 0 own the pod's volumes and adds it to
    ///   every container's groups.
    ///
    /// An unset `runAsGroup` is not reported: the image decides, and rampart cannot see it.
    /// Pods with `hostUsers: false` (their GIDs are remapped to an unprivileged range on the
    /// node) and Windows pods are not checked.
    ///
    /// ## Why it matters
    /// Group root owns much of a Linux system: files in the image and on the node that are
    /// group-writable by GID 0, device nodes, and sockets. A process running with GID 0 can
    /// change them even as a non-root user, so a compromised container can tamper with its
    /// own binaries and, through any host mount, with the node's files.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   runAsUser: 10001
    ///   runAsGroup: 0
    ///   fsGroup: 0
    /// ```
    /// Use instead: non-zero groups everywhere.
    /// ```yaml
    /// securityContext:
    ///   runAsUser: 10001
    ///   runAsGroup: 10001
    ///   fsGroup: 10001
    /// ```
    pub struct RunAsGroupRoot {
        code: "K132",
        name: "run-as-group-root",
        title: "Pod runs with the root group",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Cis: ["5.6.3"],
            Nsa: ["non-root-containers"],
            Mitre: ["T1611"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &["trivy:KSV-0116"],
    }
}

fn is_root(value: &Node) -> bool {
    value.as_i64() == Some(0)
}

impl Check<Objects> for RunAsGroupRoot {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        if pod.is_windows() || pod.in_user_namespace() {
            return;
        }
        check_effective(
            pod,
            pod.containers(),
            "runAsGroup",
            is_root,
            |container, _| {
                format!(
                    "{} runs with runAsGroup 0 (the root group); set a non-zero runAsGroup",
                    describe(container)
                )
            },
            |_, containers| {
                format!(
                    "pod-level runAsGroup 0 (the root group) applies to {containers}; set a \
                     non-zero runAsGroup"
                )
            },
            hits,
        );
        let groups_pointer = pod.pod_security_pointer("supplementalGroups");
        let groups = pod
            .pod_security("supplementalGroups")
            .map(Node::items)
            .unwrap_or(&[]);
        for (index, group) in groups.iter().enumerate() {
            if is_root(group) {
                hits.push(Hit::new(
                    push_pointer(&groups_pointer, index),
                    "supplementalGroups includes 0 (the root group), which every container of \
                     the pod gets; remove it",
                ));
            }
        }
        if pod.pod_security("fsGroup").is_some_and(is_root) {
            hits.push(Hit::new(
                pod.pod_security_pointer("fsGroup"),
                "fsGroup 0 makes the root group own the pod's volumes and adds it to every \
                 container; set a non-zero fsGroup",
            ));
        }
    }
}
