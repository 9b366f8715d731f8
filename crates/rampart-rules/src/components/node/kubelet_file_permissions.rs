use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::FileClass;

use super::file_modes::{Limit, Owner, check_files};
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// The kubelet's systemd unit and drop-ins (`kubelet.service`, `kubelet.service.d/*.conf`),
    /// its `--config` file and its `--config-dir` drop-ins: mode `600` or more restrictive, owned
    /// by `root:root`.
    ///
    /// ## Why it matters
    /// These decide how the kubelet authenticates and authorizes callers, which port it opens
    /// without authentication and where it reads static pods. A user who can write them turns
    /// anonymous access and `AlwaysAllow` on at the next restart, a remote root shell on the node.
    ///
    /// ## Example
    /// ```text
    /// -rw-r--r-- 1 root root /var/lib/kubelet/config.yaml
    /// ```
    /// Use instead: `chmod 600` and `chown root:root` each of these files.
    pub struct KubeletFilePermissions {
        code: "K454",
        name: "kubelet-file-permissions",
        title: "Kubelet service or configuration files open to other users",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["4.1.1", "4.1.2", "4.1.9", "4.1.10"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1543"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &[
            "kube-bench:4.1.1",
            "kube-bench:4.1.2",
            "kube-bench:4.1.9",
            "kube-bench:4.1.10",
        ],
    }
}

impl Check<Nodes> for KubeletFilePermissions {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_files(
            target,
            hits,
            &[
                Limit {
                    class: FileClass::KubeletService,
                    mode: 0o600,
                    secret: false,
                },
                Limit {
                    class: FileClass::KubeletConfig,
                    mode: 0o600,
                    secret: false,
                },
            ],
            Owner::Root,
        );
    }
}
