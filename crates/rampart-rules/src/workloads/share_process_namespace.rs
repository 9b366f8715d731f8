use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::ContainerKind;
use rampart_source::{Node, push_pointer};

use super::common::quoted_list;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods with `shareProcessNamespace: true` that run two or more containers side by side:
    /// regular containers, and init containers with `restartPolicy: Always` (native sidecars),
    /// which run alongside them. With a single running container, sharing exposes nothing but
    /// the pod's pause process, and is not reported.
    ///
    /// ## Why it matters
    /// In a shared process namespace every container sees every other container's processes.
    /// It can read their command lines, and, running as the same user, their environment
    /// (`/proc/<pid>/environ`, where secrets often are) and their whole filesystem through
    /// `/proc/<pid>/root`; it can signal them, and with `SYS_PTRACE` attach to them. A
    /// compromised sidecar (a log shipper, a proxy) thus reaches the application's secrets,
    /// and the container boundary inside the pod is gone.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   shareProcessNamespace: true
    ///   containers:
    ///     - {name: app, image: registry.example.com/app:1.0.0}
    ///     - {name: log-shipper, image: registry.example.com/shipper:2.4.0}
    /// ```
    /// Use instead: leave process namespaces separate; share files through a volume, and debug
    /// with `kubectl debug --target=app`, which joins one container's namespace only when
    /// needed.
    /// ```yaml
    /// spec:
    ///   shareProcessNamespace: false
    /// ```
    pub struct ShareProcessNamespace {
        code: "K145",
        name: "share-process-namespace",
        title: "Containers share one process namespace",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Nsa: ["pod-security"],
            Mitre: ["T1055"],
            Cwe: ["CWE-653"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for ShareProcessNamespace {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        if !pod.spec_flag("shareProcessNamespace") {
            return;
        }
        let running: Vec<&str> = pod
            .containers()
            .filter(|container| match container.kind {
                ContainerKind::Regular => true,
                ContainerKind::Init => {
                    container.node.get("restartPolicy").and_then(Node::as_str) == Some("Always")
                }
                ContainerKind::Ephemeral => false,
            })
            .map(|container| container.name())
            .collect();
        if running.len() < 2 {
            return;
        }
        hits.push(Hit::new(
            push_pointer(pod.spec_pointer, "shareProcessNamespace"),
            format!(
                "containers {} share one process namespace, so each can read the others' \
                 environment and files through /proc and signal their processes; remove \
                 shareProcessNamespace and share data through volumes",
                quoted_list(&running)
            ),
        ));
    }
}
