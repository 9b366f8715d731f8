//! The shape of the file permission rules: each file of some classes must have no permission
//! bits beyond a maximum (`600` or more restrictive) and the expected owner. A finding names
//! the file, its mode or owner, and the expected one; its severity follows what the extra
//! bits give away.

use rampart_core::Severity;
use rampart_k8s::node::{FileClass, NodeFile, NodeModel, Origin};

use crate::{Hit, NodeTarget};

/// Who must own a class of files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// `root:root`.
    Root,
    /// The node's `etcd` user and group, where the node has them (etcd installed from a
    /// package runs as `etcd`); `root:root` where it has not (kubeadm runs etcd as root).
    Etcd,
}

/// The most a class of files may allow.
pub(crate) struct Limit {
    pub class: FileClass,
    /// Permission bits allowed at most (`0o600`).
    pub mode: u32,
    /// Whether reading the file gives away credentials or data: then group or other read
    /// access ranks high.
    pub secret: bool,
}

/// Reports the files of the limited classes whose mode allows more or whose owner differs.
pub(crate) fn check_files(
    target: &NodeTarget<'_>,
    hits: &mut Vec<Hit>,
    limits: &[Limit],
    owner: Owner,
) {
    let node = target.node;
    for file in &node.files {
        let Some(limit) = limits.iter().find(|limit| limit.class == file.class) else {
            continue;
        };
        check_mode(node, file, limit, hits);
        check_owner(node, file, owner, hits);
    }
}

fn check_mode(node: &NodeModel, file: &NodeFile, limit: &Limit, hits: &mut Vec<Hit>) {
    let extra = file.stat.mode & !limit.mode;
    if extra == 0 {
        return;
    }
    let writable = extra & 0o022 != 0;
    let readable = extra & 0o044 != 0;
    let severity = if writable || (limit.secret && readable) {
        Severity::High
    } else {
        Severity::Low
    };
    let shown = node.shown(&file.path);
    let what = if file.stat.is_dir { "folder" } else { "file" };
    let gives = match (writable, readable) {
        (true, _) => "lets other users change it",
        (false, true) => "lets other users read it",
        (false, false) => "allows more than needed",
    };
    let message = format!(
        "{what} {shown} has mode {:04o}, which {gives}; expected {:04o} or more restrictive: chmod {:o} {shown}",
        file.stat.mode, limit.mode, limit.mode
    );
    hits.push(
        Hit::new("", message)
            .at(Origin::new(&file.path, 1))
            .with_identity("mode")
            .with_severity(severity),
    );
}

fn check_owner(node: &NodeModel, file: &NodeFile, owner: Owner, hits: &mut Vec<Hit>) {
    let (user, group) = match owner {
        Owner::Etcd => match (node.uid_of("etcd"), node.gid_of("etcd")) {
            (Some(uid), Some(gid)) => ((uid, "etcd"), (gid, "etcd")),
            _ => ((0, "root"), (0, "root")),
        },
        Owner::Root => ((0, "root"), (0, "root")),
    };
    if file.stat.uid == user.0 && file.stat.gid == group.0 {
        return;
    }
    let shown = node.shown(&file.path);
    let message = format!(
        "{shown} is owned by {}:{}; expected {}:{}: chown {}:{} {shown}",
        node.user_name(file.stat.uid),
        node.group_name(file.stat.gid),
        user.1,
        group.1,
        user.1,
        group.1
    );
    hits.push(
        Hit::new("", message)
            .at(Origin::new(&file.path, 1))
            .with_identity("owner"),
    );
}
