use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::FileClass;

use super::file_modes::{Limit, Owner, check_files};
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// The files in the kubelet's static pod folder (`/etc/kubernetes/manifests`, or its
    /// `staticPodPath`) and the CNI configuration in `/etc/cni/net.d`: mode `600` or more
    /// restrictive, owned by `root:root`.
    ///
    /// ## Why it matters
    /// The kubelet runs whatever static pod manifest it finds, as root and outside any admission
    /// control: a user who can write one runs a privileged pod on the node, on a control-plane
    /// node a changed `kube-apiserver.yaml` owns the cluster. Readable manifests and CNI files
    /// give away flags, paths and network layout.
    ///
    /// ## Example
    /// ```text
    /// -rw-rw-r-- 1 ubuntu ubuntu /etc/kubernetes/manifests/kube-apiserver.yaml
    /// ```
    /// Use instead: `chmod 600` and `chown root:root` every manifest and CNI file.
    pub struct StaticPodManifestPermissions {
        code: "K450",
        name: "static-pod-manifest-permissions",
        title: "Static pod manifests or CNI files open to other users",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: [
                "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7", "1.1.8", "1.1.9",
                "1.1.10",
            ],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1610"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &[
            "kube-bench:1.1.1",
            "kube-bench:1.1.2",
            "kube-bench:1.1.3",
            "kube-bench:1.1.4",
            "kube-bench:1.1.5",
            "kube-bench:1.1.6",
            "kube-bench:1.1.7",
            "kube-bench:1.1.8",
            "kube-bench:1.1.9",
            "kube-bench:1.1.10",
        ],
    }
}

impl Check<Nodes> for StaticPodManifestPermissions {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_files(
            target,
            hits,
            &[
                Limit {
                    class: FileClass::StaticPodManifest,
                    mode: 0o600,
                    secret: false,
                },
                Limit {
                    class: FileClass::CniConfig,
                    mode: 0o600,
                    secret: false,
                },
            ],
            Owner::Root,
        );
    }
}
