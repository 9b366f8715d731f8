use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::ContainerKind;
use rampart_source::Node;

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// `emptyDir` volumes without `sizeLimit` whose growth nothing else bounds:
    /// - a disk-backed `emptyDir` counts against the pod's ephemeral-storage limit, so it is
    ///   bounded when every regular and init container sets
    ///   `resources.limits.ephemeral-storage`;
    /// - a memory-backed one (`medium: Memory`, a tmpfs) counts against the pod's memory, so it
    ///   is bounded when every regular and init container sets `resources.limits.memory`.
    ///
    /// Otherwise the volume is reported.
    ///
    /// ## Why it matters
    /// An `emptyDir` lives on the node's disk (or in its memory). Without a bound, one pod
    /// (filling a cache, writing runaway logs, or an attacker with a shell and `dd`) can fill
    /// the node's filesystem or memory. The kubelet then evicts pods under disk or memory
    /// pressure, and neighbours that did nothing wrong go down with it. With `sizeLimit`, the
    /// kubelet evicts the offending pod alone.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: scratch
    ///     emptyDir: {}
    /// ```
    /// Use instead:
    /// ```yaml
    /// volumes:
    ///   - name: scratch
    ///     emptyDir:
    ///       sizeLimit: 1Gi
    /// ```
    pub struct EmptyDirNoSizeLimit {
        code: "K148",
        name: "empty-dir-no-size-limit",
        title: "emptyDir volume has no size limit",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Nsa: ["resource-policies"],
            Mitre: ["T1499"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for EmptyDirNoSizeLimit {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        let every_container_limits = |resource: &str| {
            pod.containers()
                .filter(|container| container.kind != ContainerKind::Ephemeral)
                .all(|container| {
                    container
                        .node
                        .path(&["resources", "limits", resource])
                        .is_some_and(|value| !value.is_null())
                })
        };
        for (index, volume) in pod.volumes() {
            let Some(empty_dir) = volume.get("emptyDir") else {
                continue;
            };
            if empty_dir
                .get("sizeLimit")
                .is_some_and(|limit| !limit.is_null())
            {
                continue;
            }
            let name = volume.get("name").and_then(Node::as_str).unwrap_or("");
            let in_memory = empty_dir.get("medium").and_then(Node::as_str) == Some("Memory");
            let message = if in_memory {
                if every_container_limits("memory") {
                    continue;
                }
                format!(
                    "memory-backed emptyDir `{name}` has no sizeLimit and not every container \
                     has a memory limit, so it can fill the node's memory; set \
                     emptyDir.sizeLimit"
                )
            } else {
                if every_container_limits("ephemeral-storage") {
                    continue;
                }
                format!(
                    "emptyDir `{name}` has no sizeLimit and not every container limits \
                     ephemeral-storage, so it can fill the node's disk; set emptyDir.sizeLimit"
                )
            };
            hits.push(Hit::new(
                format!("{}/emptyDir/sizeLimit", pod.volume_pointer(index)),
                message,
            ));
        }
    }
}
