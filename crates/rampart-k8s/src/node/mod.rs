//! A Kubernetes node as it is configured on disk: how its kubelet is started and configured
//! (from the running process or its systemd unit, its `--config` file and `--config-dir`
//! drop-ins), and the files whose permissions and owners decide who can change or read what
//! the node runs (static pod manifests, kubeconfigs, PKI, the etcd data directory, the
//! kubelet's own files). Everything is read from a [`rampart_core::Files`] tree (the node's
//! root folder, `/` on the node itself or a node's file system mounted elsewhere; an image;
//! files in memory) and named by its path on the node.

mod files;
mod kubelet;
mod read;
pub mod systemd;

pub use files::{FileClass, FileStat, NodeFile};
pub use kubelet::{
    ANONYMOUS_AUTH, AUTHORIZATION_MODE, CLIENT_CA_FILE, CONFIG, CONFIG_DIR, ConfigDocument,
    EVENT_QPS, Field, Flag, HOSTNAME_OVERRIDE, KUBECONFIG, Kubelet, MAKE_IPTABLES_UTIL_CHAINS,
    POD_PIDS_LIMIT, PROTECT_KERNEL_DEFAULTS, READ_ONLY_PORT, ROTATE_CERTIFICATES, SECCOMP_DEFAULT,
    SERVER_TLS_BOOTSTRAP, STATIC_POD_PATH, STREAMING_IDLE_TIMEOUT, Setting, Source, TLS_CERT_FILE,
    TLS_CIPHER_SUITES, TLS_PRIVATE_KEY_FILE, WEBHOOK_AUTHENTICATION, duration_is_zero,
};
pub use read::NotANode;

use std::collections::BTreeMap;

use rampart_core::Diagnostic;

/// A place in a file on the node: a path on the node (`/etc/kubernetes/admin.conf`,
/// `/proc/812/cmdline`) and a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Origin {
    /// The start of `line` in `path`.
    pub fn new(path: &str, line: u32) -> Origin {
        Origin {
            path: path.to_owned(),
            line,
            column: 1,
        }
    }
}

/// Everything rampart read of one node.
#[derive(Debug, Clone, Default)]
pub struct NodeModel {
    /// How the root is shown in front of node paths (`/host`), empty for `/`.
    pub shown_root: String,
    /// The kubelet, when one is configured or running on the node.
    pub kubelet: Option<Kubelet>,
    /// The folder the kubelet runs static pods from (its `staticPodPath`, else
    /// `/etc/kubernetes/manifests`), when it exists.
    pub static_pod_dir: Option<String>,
    /// The files whose mode and owner matter, by class.
    pub files: Vec<NodeFile>,
    /// User and group names by id, from the node's `/etc/passwd` and `/etc/group`.
    pub users: BTreeMap<u32, String>,
    pub groups: BTreeMap<u32, String>,
    /// Files that could not be read or understood, by their shown path.
    pub errors: Vec<Diagnostic>,
}

impl NodeModel {
    /// A node path as the user sees it: under the root when the root is not `/`.
    pub fn shown(&self, node_path: &str) -> String {
        format!("{}{node_path}", self.shown_root)
    }

    /// A user's name, or its number when the node does not name it.
    pub fn user_name(&self, uid: u32) -> String {
        self.users
            .get(&uid)
            .cloned()
            .unwrap_or_else(|| uid.to_string())
    }

    /// A group's name, or its number when the node does not name it.
    pub fn group_name(&self, gid: u32) -> String {
        self.groups
            .get(&gid)
            .cloned()
            .unwrap_or_else(|| gid.to_string())
    }

    /// The id of the user named `name` on the node.
    pub fn uid_of(&self, name: &str) -> Option<u32> {
        self.users
            .iter()
            .find(|(_, user)| user.as_str() == name)
            .map(|(uid, _)| *uid)
    }

    /// The id of the group named `name` on the node.
    pub fn gid_of(&self, name: &str) -> Option<u32> {
        self.groups
            .iter()
            .find(|(_, group)| group.as_str() == name)
            .map(|(gid, _)| *gid)
    }
}

/// `name:x:id:...` lines of `/etc/passwd` or `/etc/group`, by id.
fn accounts(text: &str) -> BTreeMap<u32, String> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let id = fields.nth(1)?.parse().ok()?;
            Some((id, name.to_owned()))
        })
        .collect()
}
