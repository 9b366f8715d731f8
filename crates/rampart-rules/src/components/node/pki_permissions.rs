use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::node::FileClass;

use super::file_modes::{Limit, Owner, check_files};
use crate::rule::{Check, declare_rule};
use crate::{Hit, NodeTarget, Nodes};

declare_rule! {
    /// ## What it checks
    /// The node's PKI: everything under `/etc/kubernetes/pki` and `/var/lib/kubelet/pki`, and the
    /// kubelet's client CA file. Private keys (`*.key`, and PEM files that hold a private key such
    /// as `kubelet-client-current.pem`) must have mode `600` or more restrictive, certificates
    /// and public keys `644`, and everything must be owned by `root:root`.
    ///
    /// ## Why it matters
    /// The CA keys sign any identity the cluster trusts, `sa.key` signs service account tokens,
    /// the API server's and etcd's keys decrypt their traffic: a user who reads one impersonates
    /// anyone, who writes a CA certificate makes the cluster trust their own CA.
    ///
    /// ## Example
    /// ```text
    /// -rw-r--r-- 1 root root /etc/kubernetes/pki/ca.key
    /// ```
    /// Use instead: `chmod 600` the keys, `chmod 644` the certificates, `chown -R root:root` the
    /// folders.
    pub struct PkiPermissions {
        code: "K453",
        name: "pki-permissions",
        title: "PKI files open to other users",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.1.19", "1.1.20", "1.1.21", "4.1.7", "4.1.8"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1649"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &[
            "kube-bench:1.1.19",
            "kube-bench:1.1.20",
            "kube-bench:1.1.21",
            "kube-bench:4.1.7",
            "kube-bench:4.1.8",
        ],
    }
}

impl Check<Nodes> for PkiPermissions {
    fn check(&self, target: &NodeTarget<'_>, hits: &mut Vec<Hit>) {
        check_files(
            target,
            hits,
            &[
                Limit {
                    class: FileClass::PrivateKey,
                    mode: 0o600,
                    secret: true,
                },
                Limit {
                    class: FileClass::Certificate,
                    mode: 0o644,
                    secret: false,
                },
                Limit {
                    class: FileClass::ClientCa,
                    mode: 0o644,
                    secret: false,
                },
                Limit {
                    class: FileClass::PkiDirectory,
                    mode: 0o755,
                    secret: false,
                },
            ],
            Owner::Root,
        );
    }
}
