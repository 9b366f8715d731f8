//! Nodes a scan reads: a node's root folder (given to `rampart node`, or met among a scan's
//! targets), and a `KubeletConfiguration` found among the objects, judged as a kubelet started
//! with it.

use std::path::Path;

use anyhow::{Context, Result};
use rampart_k8s::node::{NodeModel, NotANode};
use rampart_source::{HostFiles, Inventory, Limits, Object, Target};

/// The node whose file system is under the folder `root` of this machine.
pub(crate) fn read_node_root(root: &Path, limits: &Limits) -> Result<NodeModel, NotANode> {
    let files = HostFiles::new(root);
    NodeModel::read(&files, &files.shown_root(), limits)
}

/// The targets that are a node's root folder, read as nodes.
pub(crate) fn node_roots(targets: &[Target], limits: &Limits) -> Result<Vec<NodeModel>> {
    let mut nodes = Vec::new();
    for target in targets {
        if let Target::Path(dir) = target
            && NodeModel::is_node_root(&HostFiles::new(dir))
        {
            nodes.push(read_node_root(dir, limits)?);
        }
    }
    Ok(nodes)
}

/// Each `KubeletConfiguration` of the inventory outside the node roots `nodes` (which read
/// their own), as the node of a kubelet started with it.
pub(crate) fn loose_kubelet_configs(inventory: &Inventory, nodes: &[NodeModel]) -> Vec<NodeModel> {
    let in_node_root = |path: &str| {
        nodes.iter().any(|node| {
            path.strip_prefix(node.shown_root.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    inventory
        .all::<Object>()
        .iter()
        .filter(|object| object.kind == "KubeletConfiguration" && !in_node_root(&object.path))
        .map(|object| NodeModel::of_kubelet_config(&object.path, object.root.clone()))
        .collect()
}

/// What `rampart node` also reads as a scan reads it: the YAML and kubeconfigs of the node's
/// `/etc/kubernetes` (static pods and the files components read) and its static pod folder.
pub(crate) fn manifest_targets(root: &Path, node: &NodeModel) -> Result<Vec<Target>> {
    let kubernetes = root.join("etc/kubernetes");
    let mut targets = Vec::new();
    if kubernetes.is_dir() {
        // Kubeconfigs are named `*.conf`, which a folder walk does not read.
        let mut kubeconfigs: Vec<_> = std::fs::read_dir(&kubernetes)
            .with_context(|| format!("cannot read {}", kubernetes.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "conf"))
            .collect();
        kubeconfigs.sort();
        targets.push(Target::Path(kubernetes));
        targets.extend(kubeconfigs.into_iter().map(Target::Path));
    }
    // Static pods kept elsewhere (RKE2's `/var/lib/rancher/rke2/agent/pod-manifests`).
    if let Some(dir) = &node.static_pod_dir
        && !dir.starts_with("/etc/kubernetes/")
    {
        targets.push(Target::Path(root.join(dir.trim_start_matches('/'))));
    }
    Ok(targets)
}

/// How many of the nodes' files are inputs of their own (unit files, drop-ins, keys): those
/// also read as manifests are counted once.
pub(crate) fn files_counted(nodes: &[NodeModel]) -> usize {
    nodes
        .iter()
        .flat_map(|node| &node.files)
        .filter(|file| !read_as_manifest(&file.path))
        .count()
}

/// Whether node mode also reads a node file as a manifest (static pods, kubeconfigs and other
/// YAML under `/etc/kubernetes`).
fn read_as_manifest(node_path: &str) -> bool {
    let manifest = [".yaml", ".yml", ".json", ".conf"]
        .iter()
        .any(|extension| node_path.ends_with(extension));
    manifest && node_path.starts_with("/etc/kubernetes/")
}
