//! Reading a node's files from a [`Files`] tree: a root folder of the host, an image, or files
//! held in memory. Paths are node paths (`/etc/kubernetes`); symlinks are followed inside the
//! tree, so an absolute link in a mounted node file system does not lead to the scanning
//! machine's own files.

use std::collections::BTreeMap;
use std::io;

use rampart_core::{Diagnostic, FileKind, Files, resolve};
use rampart_source::{Limits, Node, parse_stream, parse_text};

use super::files::{FileClass, FileStat, NodeFile};
use super::kubelet::{
    CLIENT_CA_FILE, CONFIG, CONFIG_DIR, ConfigDocument, KUBECONFIG, Kubelet, Source,
};
use super::systemd::{UnitFile, service_command};
use super::{NodeModel, Origin, accounts};
use crate::components::{Component, component_containers};
use crate::workload::pod_template;

/// The root holds nothing of a Kubernetes node.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0} does not look like a Kubernetes node: found no kubelet (process, systemd unit or /var/lib/kubelet/config.yaml), no /etc/kubernetes and no /var/lib/rancher"
)]
pub struct NotANode(pub String);

/// Where systemd looks for units, most important first.
const UNIT_FOLDERS: [&str; 4] = [
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
];

/// Where kubeadm (and most installers) put things.
const MANIFESTS: &str = "/etc/kubernetes/manifests";
const KUBEADM_KUBELET_CONFIG: &str = "/var/lib/kubelet/config.yaml";
const K3S_KUBELET_DROP_INS: &str = "/var/lib/rancher/k3s/agent/etc/kubelet.conf.d";
/// K3s runs the kubelet inside its own process, and RKE2 as a child of its own: both take
/// extra kubelet flags from the `kubelet-arg` list of their configuration file.
const RANCHER_CONFIGS: [&str; 2] = [
    "/etc/rancher/k3s/config.yaml",
    "/etc/rancher/rke2/config.yaml",
];
/// The kubeconfig K3s writes for administrators (`--write-kubeconfig-mode` sets its mode).
const K3S_ADMIN_KUBECONFIG: &str = "/etc/rancher/k3s/k3s.yaml";
const PKI_FOLDERS: [&str; 2] = ["/etc/kubernetes/pki", "/var/lib/kubelet/pki"];
/// The administrator's and the control-plane components' kubeconfigs kubeadm writes.
const CONTROL_PLANE_KUBECONFIGS: [&str; 4] = [
    "/etc/kubernetes/admin.conf",
    "/etc/kubernetes/super-admin.conf",
    "/etc/kubernetes/controller-manager.conf",
    "/etc/kubernetes/scheduler.conf",
];
const PROXY_KUBECONFIG: &str = "/var/lib/kube-proxy/kubeconfig.conf";
const CNI_FOLDER: &str = "/etc/cni/net.d";
const ETCD_DATA_DIR: &str = "/var/lib/etcd";
/// Bounds on what a walk of a node folder reads.
const MAX_WALK_ENTRIES: usize = 10_000;
const MAX_WALK_DEPTH: usize = 8;

/// A node's file system.
struct Root<'f> {
    files: &'f dyn Files,
    shown_root: String,
    limits: Limits,
}

impl Root<'_> {
    /// A node path with the symlinks in it followed inside the node.
    fn real(&self, node_path: &str) -> String {
        resolve(self.files, node_path)
    }

    fn shown(&self, node_path: &str) -> String {
        format!("{}{node_path}", self.shown_root)
    }

    fn error(&self, node_path: &str, line: Option<u32>, message: String) -> Diagnostic {
        Diagnostic::error(self.shown(node_path), line, message)
    }

    fn exists(&self, node_path: &str) -> bool {
        self.files.metadata(&self.real(node_path)).is_ok()
    }

    fn is_dir(&self, node_path: &str) -> bool {
        is_dir(self.files, node_path)
    }

    fn stat(&self, node_path: &str) -> io::Result<FileStat> {
        let info = self.files.metadata(&self.real(node_path))?;
        Ok(FileStat {
            mode: info.mode,
            uid: info.uid,
            gid: info.gid,
            is_dir: info.kind == FileKind::Directory,
        })
    }

    /// The bytes of a file, within the size limit.
    fn read(&self, node_path: &str) -> io::Result<Vec<u8>> {
        let real = self.real(node_path);
        self.files.read(&real, self.limits.max_file_bytes)
    }

    /// The text of a file; `Ok(None)` when it does not exist, an error when it cannot be read
    /// or is not text.
    fn read_text(&self, node_path: &str) -> Result<Option<String>, Diagnostic> {
        let bytes = match self.read(node_path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
                let message = format!(
                    "file is larger than the {} MiB limit; not read",
                    self.limits.max_file_bytes / (1024 * 1024)
                );
                return Err(self.error(node_path, None, message));
            }
            Err(e) => return Err(self.error(node_path, None, format!("cannot read: {e}"))),
        };
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| self.error(node_path, None, "not UTF-8 text; not read".to_owned()))
    }

    /// The entries of a folder, as sorted node paths; empty when it does not exist.
    fn list(&self, node_path: &str) -> Vec<String> {
        let Ok(names) = self.files.list(&self.real(node_path)) else {
            return Vec::new();
        };
        let mut paths: Vec<String> = names
            .into_iter()
            .map(|name| format!("{}/{name}", node_path.trim_end_matches('/')))
            .collect();
        paths.sort();
        paths
    }

    /// Every file and folder under `node_path` (itself first), depth-first in lexical order
    /// as Go's `filepath.WalkDir` visits them, within bounds.
    fn walk(&self, node_path: &str) -> Vec<String> {
        let mut found = Vec::new();
        self.walk_into(node_path, 0, &mut found);
        found
    }

    fn walk_into(&self, node_path: &str, depth: usize, found: &mut Vec<String>) {
        if found.len() >= MAX_WALK_ENTRIES || !self.exists(node_path) {
            return;
        }
        found.push(node_path.to_owned());
        if depth < MAX_WALK_DEPTH && self.is_dir(node_path) {
            for child in self.list(node_path) {
                self.walk_into(&child, depth + 1, found);
            }
        }
    }
}

/// `a/./b/../c` as `a/c`.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

fn node_path_parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("/", |(parent, _)| parent)
}

/// A path a component was given, as a node path: relative paths are taken from `/`, the
/// working folder systemd starts services in.
fn absolute(path: &str) -> String {
    normalise(path)
}

impl NodeModel {
    /// Reads the node whose file system is `files`, its paths shown after `shown_root`
    /// (`/host`; empty for the machine rampart runs on). A tree with nothing of a node is an
    /// error; files that cannot be read or understood are reported in [`NodeModel::errors`]
    /// and the rest is read.
    pub fn read(
        files: &dyn Files,
        shown_root: &str,
        limits: &Limits,
    ) -> Result<NodeModel, NotANode> {
        let root = Root {
            files,
            shown_root: shown_root.to_owned(),
            limits: limits.clone(),
        };
        let mut model = NodeModel {
            shown_root: shown_root.to_owned(),
            ..NodeModel::default()
        };
        let text_or_empty = |model: &mut NodeModel, path: &str| match root.read_text(path) {
            Ok(text) => text.unwrap_or_default(),
            Err(error) => {
                model.errors.push(error);
                String::new()
            }
        };
        model.users = accounts(&text_or_empty(&mut model, "/etc/passwd"));
        model.groups = accounts(&text_or_empty(&mut model, "/etc/group"));

        let mut service_files = Vec::new();
        model.kubelet = read_kubelet(&root, &mut model.errors, &mut service_files);
        if model.kubelet.is_none() && !NodeModel::is_node_root(files) {
            let shown = if model.shown_root.is_empty() {
                "/".to_owned()
            } else {
                model.shown_root.clone()
            };
            return Err(NotANode(shown));
        }
        classify_files(&root, &mut model, &service_files);
        Ok(model)
    }
}

/// Folders only a Kubernetes node has.
const NODE_MARKERS: [&str; 4] = [
    "/etc/kubernetes",
    "/var/lib/kubelet",
    "/etc/systemd/system/kubelet.service.d",
    "/var/lib/rancher",
];

/// Whether `path` of `files` is a folder, following symlinks inside the tree.
fn is_dir(files: &dyn Files, path: &str) -> bool {
    files
        .metadata(&resolve(files, path))
        .is_ok_and(|info| info.kind == FileKind::Directory)
}

impl NodeModel {
    /// Whether `files` looks like the file system of a node: it has a folder only a
    /// Kubernetes node has (`/etc/kubernetes`, `/var/lib/kubelet`, a kubelet systemd drop-in
    /// folder or `/var/lib/rancher`).
    pub fn is_node_root(files: &dyn Files) -> bool {
        NODE_MARKERS.iter().any(|marker| is_dir(files, marker))
    }

    /// A node that is only a kubelet configuration file (a `KubeletConfiguration` found on its
    /// own, outside a node's root), read as the kubelet reads it with `--config` and no flags.
    pub fn of_kubelet_config(path: &str, root: Node) -> NodeModel {
        let kubelet = Kubelet {
            config: Some(ConfigDocument {
                path: path.to_owned(),
                root,
            }),
            config_given: true,
            ..Kubelet::default()
        };
        NodeModel {
            kubelet: Some(kubelet),
            ..NodeModel::default()
        }
    }
}

/// Finds how the kubelet is started (its running process first, else its systemd unit) and
/// reads its configuration files. `service_files` receives the unit files read.
fn read_kubelet(
    root: &Root,
    errors: &mut Vec<Diagnostic>,
    service_files: &mut Vec<String>,
) -> Option<Kubelet> {
    let mut k3s = false;
    let (command_origin, words) = match kubelet_process(root) {
        Some((path, args)) => {
            let at = Origin::new(&path, 1);
            let words = args
                .into_iter()
                .skip(1)
                .map(|arg| (at.clone(), arg))
                .collect::<Vec<_>>();
            (Some(at), words)
        }
        None => match kubelet_unit(root, errors, service_files) {
            Some((at, words)) => (Some(at), words),
            None => match rancher_kubelet_args(root, errors) {
                Some((at, words)) => {
                    k3s = true;
                    (Some(at), words)
                }
                None => (None, Vec::new()),
            },
        },
    };
    let mut kubelet = Kubelet {
        command_origin,
        ..Kubelet::with_command_line(words)
    };
    for (at, message) in kubelet.flag_problems() {
        errors.push(root.error(&at.path, Some(at.line), message));
    }
    let mut config_path = kubelet.flag(CONFIG.flag).and_then(|f| f.value.clone());
    let mut drop_in_dir = kubelet.flag(CONFIG_DIR.flag).and_then(|f| f.value.clone());
    if kubelet.command_origin.is_none() || k3s {
        // No full command line to go by: the files kubeadm and K3s configure the kubelet
        // with.
        if !k3s && root.exists(KUBEADM_KUBELET_CONFIG) {
            config_path = Some(KUBEADM_KUBELET_CONFIG.to_owned());
        }
        if drop_in_dir.is_none() && root.is_dir(K3S_KUBELET_DROP_INS) {
            drop_in_dir = Some(K3S_KUBELET_DROP_INS.to_owned());
        }
        if config_path.is_none() && drop_in_dir.is_none() && !k3s {
            return None;
        }
    }
    if let Some(path) = config_path.filter(|p| !p.is_empty()) {
        kubelet.config_given = true;
        let path = absolute(&path);
        match root.read_text(&path) {
            Ok(Some(text)) => kubelet.config = config_document(root, &path, &text, errors),
            Ok(None) => errors.push(root.error(
                &path,
                None,
                "the kubelet's --config names this file, which does not exist; the kubelet refuses to start"
                    .to_owned(),
            )),
            Err(error) => errors.push(error),
        }
    }
    if let Some(dir) = drop_in_dir.filter(|d| !d.is_empty()) {
        let dir = absolute(&dir);
        for path in root.walk(&dir) {
            if !path.ends_with(".conf") || root.is_dir(&path) {
                continue;
            }
            match root.read_text(&path) {
                Ok(Some(text)) => {
                    kubelet
                        .drop_ins
                        .extend(config_document(root, &path, &text, errors));
                }
                Ok(None) => {}
                Err(error) => errors.push(error),
            }
        }
    }
    Some(kubelet)
}

/// A `KubeletConfiguration` document, or an error naming what the file holds instead.
fn config_document(
    root: &Root,
    path: &str,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<ConfigDocument> {
    let (mut documents, error) = parse_stream(text, &root.limits);
    if let Some(error) = error {
        errors.push(root.error(
            path,
            Some(error.line),
            format!("invalid YAML: {}", error.message),
        ));
        return None;
    }
    if documents.is_empty() {
        errors.push(root.error(path, None, "empty kubelet configuration file".to_owned()));
        return None;
    }
    let document = documents.remove(0);
    let kind = document.root.get("kind").and_then(Node::as_str);
    let api_version = document.root.get("apiVersion").and_then(Node::as_str);
    let is_kubelet_config = kind == Some("KubeletConfiguration")
        && api_version.is_some_and(|v| v.starts_with("kubelet.config.k8s.io/"));
    if !is_kubelet_config {
        let found = match (api_version, kind) {
            (Some(api_version), Some(kind)) => format!("{api_version} {kind}"),
            _ => format!(
                "a {} without apiVersion and kind",
                document.root.type_name()
            ),
        };
        errors.push(root.error(
            path,
            Some(document.line),
            format!(
                "expected a kubelet.config.k8s.io/v1beta1 KubeletConfiguration, found {found}; the kubelet refuses to start with it"
            ),
        ));
        return None;
    }
    Some(ConfigDocument {
        path: path.to_owned(),
        root: document.root,
    })
}

/// The command line of a running kubelet, from `/proc/<pid>/cmdline` under the root.
fn kubelet_process(root: &Root) -> Option<(String, Vec<String>)> {
    let mut found = None;
    for dir in root.list("/proc") {
        let is_pid = dir
            .rsplit('/')
            .next()
            .is_some_and(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()));
        if !is_pid {
            continue;
        }
        let path = format!("{dir}/cmdline");
        let Ok(bytes) = root.read(&path) else {
            continue;
        };
        let args: Vec<String> = bytes
            .split(|&b| b == 0)
            .filter(|arg| !arg.is_empty())
            .map(|arg| String::from_utf8_lossy(arg).into_owned())
            .collect();
        let program = args.first().map(|a| a.rsplit('/').next().unwrap_or(a));
        if program == Some("kubelet") {
            // The lowest process id: several would be a restart caught mid-way.
            found.get_or_insert((path, args));
        }
    }
    found
}

/// The kubelet flags of a K3s or RKE2 node whose kubelet is not seen running: the
/// `kubelet-arg` list (`name=value` items) of its configuration file, each at its line. The
/// flags the distribution adds itself are not known here; K3s keeps its defaults in the
/// drop-ins it writes.
fn rancher_kubelet_args(
    root: &Root,
    errors: &mut Vec<Diagnostic>,
) -> Option<(Origin, Vec<(Origin, String)>)> {
    let config = RANCHER_CONFIGS.into_iter().find(|path| root.exists(path))?;
    let text = match root.read_text(config) {
        Ok(text) => text?,
        Err(error) => {
            errors.push(error);
            return None;
        }
    };
    let (documents, error) = parse_stream(&text, &root.limits);
    if let Some(error) = error {
        errors.push(root.error(
            config,
            Some(error.line),
            format!("invalid YAML: {}", error.message),
        ));
    }
    let document = documents.first();
    let entry = document.and_then(|d| d.root.entry("kubelet-arg"));
    let at = Origin::new(config, entry.map_or(1, |e| e.key_span.line));
    let items = match entry.map(|e| &e.value) {
        Some(value) if value.as_str().is_some() => std::slice::from_ref(value),
        Some(value) => value.items(),
        None => &[],
    };
    let words = items
        .iter()
        .filter_map(|item| {
            let arg = item.as_str()?;
            let origin = Origin {
                path: config.to_owned(),
                line: item.span.line,
                column: item.span.column,
            };
            Some((origin, format!("--{}", arg.trim_start_matches('-'))))
        })
        .collect();
    Some((at, words))
}

/// The kubelet's command line from its systemd unit and drop-ins.
fn kubelet_unit(
    root: &Root,
    errors: &mut Vec<Diagnostic>,
    service_files: &mut Vec<String>,
) -> Option<(Origin, Vec<(Origin, String)>)> {
    let unit = UNIT_FOLDERS
        .iter()
        .map(|folder| format!("{folder}/kubelet.service"))
        .find(|path| root.exists(path));
    // A drop-in's name decides its order; the same name in a more important folder wins.
    let mut drop_ins: BTreeMap<String, String> = BTreeMap::new();
    for folder in UNIT_FOLDERS.iter().rev() {
        for path in root.list(&format!("{folder}/kubelet.service.d")) {
            if let Some(name) = path.strip_prefix(&format!("{folder}/kubelet.service.d/"))
                && name.ends_with(".conf")
            {
                drop_ins.insert(name.to_owned(), path);
            }
        }
    }
    let paths: Vec<String> = unit.into_iter().chain(drop_ins.into_values()).collect();
    if paths.is_empty() {
        return None;
    }
    let mut texts = Vec::new();
    for path in &paths {
        match root.read_text(path) {
            Ok(Some(text)) => texts.push((path.clone(), text)),
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    service_files.extend(texts.iter().map(|(path, _)| path.clone()));
    let units: Vec<UnitFile<'_>> = texts
        .iter()
        .map(|(path, text)| UnitFile { path, text })
        .collect();
    let mut read = |path: &str| match root.read_text(&absolute(path)) {
        Ok(text) => text,
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let command = service_command(&units, &mut read);
    for problem in command.problems {
        errors.push(root.error(&problem.at.path, Some(problem.at.line), problem.message));
    }
    let (executable, args) = command.words.split_first()?;
    let words = args
        .iter()
        .map(|word| (word.at.clone(), word.text.clone()))
        .collect();
    Some((executable.at.clone(), words))
}

/// Collects the files of each class with their mode and owner.
fn classify_files(root: &Root, model: &mut NodeModel, service_files: &[String]) {
    let mut found: Vec<(String, FileClass)> = Vec::new();
    let manifests = model
        .kubelet
        .as_ref()
        .and_then(|k| k.setting(&super::STATIC_POD_PATH))
        .map_or_else(|| MANIFESTS.to_owned(), |s| absolute(&s.value));
    for path in root.list(&manifests) {
        if !root.is_dir(&path) {
            found.push((path, FileClass::StaticPodManifest));
        }
    }
    if root.is_dir(&manifests) {
        model.static_pod_dir = Some(manifests.clone());
    }
    for path in root.list(CNI_FOLDER) {
        if !root.is_dir(&path) {
            found.push((path, FileClass::CniConfig));
        }
    }
    if let Some(dir) = etcd_data_dir(root, &manifests) {
        found.push((dir, FileClass::EtcdDataDir));
    }
    let kubelet_kubeconfig = model
        .kubelet
        .as_ref()
        .and_then(|k| k.flag(KUBECONFIG.flag))
        .and_then(|f| f.value.clone());
    let kubeconfigs = CONTROL_PLANE_KUBECONFIGS
        .iter()
        .map(|p| (*p).to_owned())
        .chain([PROXY_KUBECONFIG.to_owned(), K3S_ADMIN_KUBECONFIG.to_owned()])
        .chain(kubelet_kubeconfig.map(|p| absolute(&p)));
    found.extend(kubeconfigs.map(|p| (p, FileClass::Kubeconfig)));
    for folder in PKI_FOLDERS {
        for path in root.walk(folder) {
            let class = if root.is_dir(&path) {
                FileClass::PkiDirectory
            } else if holds_private_key(root, &path) {
                FileClass::PrivateKey
            } else {
                FileClass::Certificate
            };
            found.push((path, class));
        }
    }
    found.extend(
        service_files
            .iter()
            .map(|p| (p.clone(), FileClass::KubeletService)),
    );
    if let Some(kubelet) = &model.kubelet {
        let configs = kubelet.config.iter().chain(&kubelet.drop_ins);
        found.extend(configs.map(|c| (c.path.clone(), FileClass::KubeletConfig)));
        if let Some(ca) = kubelet
            .setting(&CLIENT_CA_FILE)
            .filter(|s| !s.value.is_empty())
        {
            // The kubelet's configuration loader reads relative paths from the file's folder.
            let path = match &ca.source {
                Source::File { at } if !ca.value.starts_with('/') => {
                    absolute(&format!("{}/{}", node_path_parent(&at.path), ca.value))
                }
                _ => absolute(&ca.value),
            };
            found.push((path, FileClass::ClientCa));
        }
    }
    for (path, class) in found {
        match root.stat(&path) {
            Ok(stat) => model.files.push(NodeFile { path, class, stat }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                model
                    .errors
                    .push(root.error(&path, None, format!("cannot read its mode: {e}")))
            }
        }
    }
    model.files.sort_by(|a, b| a.path.cmp(&b.path));
    model.files.dedup_by(|a, b| a.path == b.path);
}

/// A key file by name (`.key`), or a PEM file holding a private key.
fn holds_private_key(root: &Root, path: &str) -> bool {
    if path.ends_with(".key") {
        return true;
    }
    if path.ends_with(".crt") || path.ends_with(".pub") {
        return false;
    }
    root.read_text(path)
        .ok()
        .flatten()
        .is_some_and(|text| text.contains("PRIVATE KEY-----"))
}

/// etcd's data directory: `--data-dir` of the etcd static pod, else kubeadm's `/var/lib/etcd`
/// when it exists.
fn etcd_data_dir(root: &Root, manifests: &str) -> Option<String> {
    for path in root.list(manifests) {
        let Ok(Some(text)) = root.read_text(&path) else {
            continue;
        };
        let (objects, _) = parse_text(&path, &text, &root.limits);
        for object in &objects {
            let Some(pod) = pod_template(object) else {
                continue;
            };
            let etcd = component_containers(&pod)
                .into_iter()
                .find(|c| c.component == Component::Etcd);
            if let Some(dir) = etcd.and_then(|c| c.setting("data-dir")) {
                return Some(absolute(&dir.value));
            }
        }
    }
    root.is_dir(ETCD_DATA_DIR).then(|| ETCD_DATA_DIR.to_owned())
}

#[cfg(test)]
mod tests {
    use rampart_core::MemoryFiles;

    use super::*;

    fn read(files: &MemoryFiles) -> NodeModel {
        NodeModel::read(files, "", &Limits::default()).unwrap()
    }

    #[test]
    fn bad_files_are_errors_and_the_rest_is_read() {
        let mut files = MemoryFiles::new();
        files.file("etc/systemd/system/kubelet.service", b"[Service]\nEnvironmentFile=/etc/missing.env\nExecStart=/usr/bin/kubelet --config=/etc/kubelet/pod.yaml --config-dir=/etc/kubelet/conf.d --read-only-port=0 --cni-bin-dir=/opt/cni\n");
        files.file(
            "etc/kubelet/pod.yaml",
            b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
        );
        files.file(
            "etc/kubelet/conf.d/10-broken.conf",
            b"authorization: [unclosed\n",
        );
        files.file(
            "etc/kubelet/conf.d/20-binary.conf",
            [0xff_u8, 0xfe, 0x00, 0x41],
        );
        files.file("etc/kubelet/conf.d/30-good.conf", b"apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthorization:\n  mode: Webhook\n");
        files.file("etc/kubelet/conf.d/notes.txt", b"not a drop-in");
        let node = read(&files);
        let errors: Vec<String> = node
            .errors
            .iter()
            .map(|e| {
                let line = e.line.map(|l| format!(":{l}")).unwrap_or_default();
                format!("{}{line} {}", e.path, e.message)
            })
            .collect();
        assert_eq!(
            errors,
            [
                "/etc/systemd/system/kubelet.service:2 environment file /etc/missing.env does not exist; systemd refuses to start the service",
                "/etc/systemd/system/kubelet.service:3 `--cni-bin-dir=/opt/cni` is not a kubelet flag (as of Kubernetes v1.34); a kubelet that does not know a flag refuses to start",
                "/etc/kubelet/pod.yaml:1 expected a kubelet.config.k8s.io/v1beta1 KubeletConfiguration, found v1 Pod; the kubelet refuses to start with it",
                "/etc/kubelet/conf.d/10-broken.conf:2 invalid YAML: while parsing a flow sequence, expected ',' or ']'",
                "/etc/kubelet/conf.d/20-binary.conf not UTF-8 text; not read",
            ]
        );
        let kubelet = node.kubelet.unwrap();
        assert!(kubelet.config.is_none() && kubelet.config_given);
        assert_eq!(kubelet.drop_ins.len(), 1);
        // `--config` was given: file defaults apply though the file is unusable.
        let mode = kubelet.setting(&super::super::AUTHORIZATION_MODE).unwrap();
        assert_eq!(mode.value, "Webhook");
        assert!(!mode.is_default());
    }

    #[test]
    fn a_running_kubelet_names_its_static_pod_folder_and_rancher_args_stand_in_without_one() {
        let mut files = MemoryFiles::new();
        files.file("proc/77/cmdline", b"/var/lib/rancher/rke2/bin/kubelet\0--pod-manifest-path=/var/lib/rancher/rke2/agent/pod-manifests\0--read-only-port=0\0");
        files.file(
            "var/lib/rancher/rke2/agent/pod-manifests/etcd.yaml",
            b"apiVersion: v1\nkind: Pod\n",
        );
        files.file(
            "etc/rancher/rke2/config.yaml",
            b"kubelet-arg:\n  - read-only-port=10255\n",
        );
        let node = read(&files);
        assert_eq!(
            node.static_pod_dir.as_deref(),
            Some("/var/lib/rancher/rke2/agent/pod-manifests")
        );
        assert_eq!(node.files[0].class, FileClass::StaticPodManifest);
        let kubelet = node.kubelet.unwrap();
        // The running process wins over the configuration file.
        let port = kubelet.setting(&super::super::READ_ONLY_PORT).unwrap();
        assert_eq!(
            (
                port.value.as_str(),
                kubelet.origin_of(&port).unwrap().path.as_str()
            ),
            ("0", "/proc/77/cmdline")
        );

        files.remove("/proc");
        let node = read(&files);
        let kubelet = node.kubelet.unwrap();
        let port = kubelet.setting(&super::super::READ_ONLY_PORT).unwrap();
        let at = kubelet.origin_of(&port).unwrap();
        assert_eq!(
            (port.value.as_str(), at.path.as_str(), at.line),
            ("10255", "/etc/rancher/rke2/config.yaml", 2)
        );
    }

    #[test]
    fn drop_ins_merge_in_the_order_go_walks_the_folder() {
        let mut files = MemoryFiles::new();
        files.file(
            "etc/systemd/system/kubelet.service",
            b"[Service]\nExecStart=/usr/bin/kubelet --config-dir=/etc/kubelet.d\n",
        );
        let header = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";
        for (path, port) in [
            ("10.conf", 1),
            ("sub/05.conf", 3),
            ("20.conf", 2),
            ("30.yaml", 4),
        ] {
            let text = format!("{header}readOnlyPort: {port}\n");
            files.file(&format!("etc/kubelet.d/{path}"), text.as_bytes());
        }
        let node = read(&files);
        let kubelet = node.kubelet.unwrap();
        let order: Vec<&str> = kubelet.drop_ins.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "/etc/kubelet.d/10.conf",
                "/etc/kubelet.d/20.conf",
                "/etc/kubelet.d/sub/05.conf"
            ]
        );
        // No `--config`: the drop-ins merge over the flag defaults, the last one wins.
        let port = kubelet.setting(&super::super::READ_ONLY_PORT).unwrap();
        assert_eq!(port.value, "3");
        let anonymous = kubelet.setting(&super::super::ANONYMOUS_AUTH).unwrap();
        assert_eq!(anonymous.value, "true");
    }

    #[test]
    fn a_relative_client_ca_file_is_read_from_the_configuration_files_folder() {
        let mut files = MemoryFiles::new();
        files.file("var/lib/kubelet/config.yaml", b"apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  x509:\n    clientCAFile: ca/ca.crt\n");
        files.file(
            "var/lib/kubelet/ca/ca.crt",
            b"-----BEGIN CERTIFICATE-----\n",
        );
        let node = read(&files);
        let ca = node
            .files
            .iter()
            .find(|f| f.class == FileClass::ClientCa)
            .unwrap();
        assert_eq!(ca.path, "/var/lib/kubelet/ca/ca.crt");
    }

    #[test]
    fn a_symlink_in_the_root_resolves_inside_the_root() {
        let mut files = MemoryFiles::new();
        files.file(
            "var/lib/kubelet/pki/kubelet-client-1.pem",
            b"-----BEGIN EC PRIVATE KEY-----\n",
        );
        files.symlink(
            "/var/lib/kubelet/pki/kubelet-client-current.pem",
            "/var/lib/kubelet/pki/kubelet-client-1.pem",
        );
        let node = read(&files);
        let current = node
            .files
            .iter()
            .find(|f| f.path.ends_with("current.pem"))
            .unwrap();
        assert_eq!(current.class, FileClass::PrivateKey);
        assert!(node.kubelet.is_none());
    }
}
