use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::FileClass;

use super::file_modes::{Limit, Owner, check_files};
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// The kubeconfigs of a node: `admin.conf`, `super-admin.conf`, `controller-manager.conf` and
    /// `scheduler.conf` in `/etc/kubernetes`, the kubelet's `--kubeconfig`, kube-proxy's
    /// `/var/lib/kube-proxy/kubeconfig.conf` and K3s's `/etc/rancher/k3s/k3s.yaml`: mode `600`
    /// or more restrictive, owned by `root:root`.
    ///
    /// ## Why it matters
    /// Each holds a client certificate and key or a token: `admin.conf` and `super-admin.conf`
    /// are cluster-admin (`super-admin.conf` is in `system:masters`, beyond RBAC), the others are
    /// the identities of the control plane and the node. Any local user who can read one acts as
    /// that identity against the API server.
    ///
    /// ## Example
    /// ```text
    /// -rw-r--r-- 1 root root /etc/kubernetes/admin.conf
    /// ```
    /// Use instead: `chmod 600` and `chown root:root` each kubeconfig.
    pub struct KubeconfigPermissions {
        code: "K452",
        name: "kubeconfig-permissions",
        title: "Kubeconfig files open to other users",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: [
                "1.1.13", "1.1.14", "1.1.15", "1.1.16", "1.1.17", "1.1.18", "4.1.3", "4.1.4",
                "4.1.5", "4.1.6",
            ],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &[
            "kube-bench:1.1.13",
            "kube-bench:1.1.14",
            "kube-bench:1.1.15",
            "kube-bench:1.1.16",
            "kube-bench:1.1.17",
            "kube-bench:1.1.18",
            "kube-bench:4.1.3",
            "kube-bench:4.1.4",
            "kube-bench:4.1.5",
            "kube-bench:4.1.6",
        ],
    }
}

impl Check<Nodes> for KubeconfigPermissions {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_files(
            target,
            hits,
            &[Limit {
                class: FileClass::Kubeconfig,
                mode: 0o600,
                secret: true,
            }],
            Owner::Root,
        );
    }
}
