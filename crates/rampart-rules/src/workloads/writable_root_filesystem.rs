use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::ContainerKind;
use rampart_source::Node;

use super::common::describe;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Regular and init containers whose `securityContext.readOnlyRootFilesystem` is not `true`
    /// (unset or `false`). The setting exists only on containers; there is no pod-level default.
    ///
    /// Ephemeral containers are left out: they are added by `kubectl debug` to a running pod,
    /// are interactive by nature and usually need to install or write tools. Windows pods
    /// (`spec.os.name: windows`) are left out too, as Windows does not support the setting.
    ///
    /// ## Why it matters
    /// With a writable root filesystem, whoever gets code execution in the container can drop
    /// binaries and scripts (a shell, a miner, a scanner), replace the application's own files
    /// or configuration so the change survives process restarts, and stage data for
    /// exfiltration. A read-only root filesystem forces every write into volumes you declared,
    /// which are small, known and easy to monitor.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: registry.example.com/api:3.1.0
    /// ```
    /// Use instead: make the root filesystem read-only and give the paths the application
    /// writes to an `emptyDir`.
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: registry.example.com/api:3.1.0
    ///     securityContext:
    ///       readOnlyRootFilesystem: true
    ///     volumeMounts:
    ///       - {name: tmp, mountPath: /tmp}
    /// volumes:
    ///   - name: tmp
    ///     emptyDir: {sizeLimit: 64Mi}
    /// ```
    pub struct WritableRootFilesystem {
        code: "K130",
        name: "writable-root-filesystem",
        title: "Container root filesystem is writable",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Cis: ["5.6.3"],
            Nsa: ["immutable-container-file-systems"],
            Mitre: ["T1105"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &[
            "trivy:KSV-0014",
            "checkov:CKV_K8S_22",
            "kubescape:C-0017",
            "kube-linter:no-read-only-root-fs",
            "polaris:notReadOnlyRootFilesystem",
        ],
    }
}

impl Check<Objects> for WritableRootFilesystem {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        if pod.is_windows() {
            return;
        }
        for container in pod.containers() {
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            let value = container.security("readOnlyRootFilesystem");
            if value.and_then(Node::as_bool) == Some(true) {
                continue;
            }
            let observed = match value {
                Some(value) => format!("readOnlyRootFilesystem is {}", value.display_scalar()),
                None => "readOnlyRootFilesystem is not set".to_owned(),
            };
            hits.push(Hit::new(
                container.security_pointer("readOnlyRootFilesystem"),
                format!(
                    "{} has a writable root filesystem ({observed}); set \
                     securityContext.readOnlyRootFilesystem: true and mount an emptyDir where \
                     it must write",
                    describe(&container)
                ),
            ));
        }
    }
}
