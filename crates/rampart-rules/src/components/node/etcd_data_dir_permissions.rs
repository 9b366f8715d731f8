use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::FileClass;

use super::file_modes::{Limit, Owner, check_files};
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// etcd's data directory (`--data-dir` of the etcd static pod, else `/var/lib/etcd`): mode
    /// `700` or more restrictive, owned by the `etcd` user and group where the node has them
    /// (etcd installed as a service runs as `etcd`), by `root:root` where it has not (kubeadm runs
    /// etcd as root, and CIS's `etcd:etcd` cannot apply).
    ///
    /// ## Why it matters
    /// The directory holds the whole cluster state: every Secret, in plaintext unless encryption
    /// at rest is on, and every service account token signing key reference. A user who can read
    /// it reads every credential of the cluster; one who can write it changes the cluster
    /// without the API server.
    ///
    /// ## Example
    /// ```text
    /// drwxr-xr-x 3 root root /var/lib/etcd
    /// ```
    /// Use instead: `chmod 700 /var/lib/etcd`.
    pub struct EtcdDataDirPermissions {
        code: "K451",
        name: "etcd-data-dir-permissions",
        title: "etcd data directory open to other users",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.1.11", "1.1.12"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &[
            "kube-bench:1.1.11",
            "kube-bench:1.1.12",
        ],
    }
}

impl Check<Nodes> for EtcdDataDirPermissions {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_files(
            target,
            hits,
            &[Limit {
                class: FileClass::EtcdDataDir,
                mode: 0o700,
                secret: true,
            }],
            Owner::Etcd,
        );
    }
}
