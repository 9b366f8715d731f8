//! The files of a node whose mode and owner the CIS Kubernetes Benchmark checks, by class.

/// What a file is to the node, which decides who may read and write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileClass {
    /// A static pod manifest: whoever can write it runs a pod as root on the node.
    StaticPodManifest,
    /// A CNI network configuration.
    CniConfig,
    /// etcd's data directory: every object of the cluster, Secrets included.
    EtcdDataDir,
    /// A kubeconfig with a component's or an administrator's credentials.
    Kubeconfig,
    /// A PKI folder (`/etc/kubernetes/pki`, `/var/lib/kubelet/pki`) or a folder under it.
    PkiDirectory,
    /// A certificate or public key.
    Certificate,
    /// A private key (or a PEM file that holds one).
    PrivateKey,
    /// The kubelet's systemd unit or one of its drop-ins.
    KubeletService,
    /// The kubelet's `--config` file or one of its `--config-dir` drop-ins.
    KubeletConfig,
    /// The CA file the kubelet verifies client certificates with.
    ClientCa,
}

/// A file's permission bits and owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// Permission bits (`0o644`), without the file type.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub is_dir: bool,
}

/// A file of a class, with its mode and owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeFile {
    /// The path on the node.
    pub path: String,
    pub class: FileClass,
    pub stat: FileStat,
}
