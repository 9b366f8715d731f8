//! A node read from an image's merged layers, through the same file-system trait as a node's
//! root folder: the kubelet's unit and configuration, and the modes of its files.

use rampart_image::build::{ImageSpec, write_layout};
use rampart_image::{FileSystem, Limits, ReadOptions, read_path};
use rampart_k8s::node::{FileClass, NodeModel, READ_ONLY_PORT};

const NODE: &str = r#"
[[layers]]
files = [
  { path = "lib/systemd/system/kubelet.service", content = "[Service]\nExecStart=/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml\n" },
  { path = "var/lib/kubelet/config.yaml", content = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n" },
  { path = "etc/kubernetes/admin.conf", mode = 0o644, content = "apiVersion: v1\nkind: Config\n" },
  { path = "etc/kubernetes/pki/ca.key", mode = 0o600, content = "-----BEGIN RSA PRIVATE KEY-----\n" },
]
[[layers]]
files = [{ path = "etc/systemd/system/kubelet.service", type = "symlink", target = "/lib/systemd/system/kubelet.service" }]
"#;

#[test]
fn a_node_is_read_from_an_image_as_from_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    write_layout(&ImageSpec::parse(NODE).unwrap(), dir.path()).unwrap();
    let options = ReadOptions {
        limits: &Limits::default(),
        platform: None,
        capture: &|_: &str| true,
    };
    let image = read_path(dir.path(), &options).unwrap().remove(0);
    let files = FileSystem::of(&image.layers);
    let node = NodeModel::read(&files, "node.oci", &rampart_source::Limits::default()).unwrap();
    assert!(node.errors.is_empty(), "{:?}", node.errors);
    let kubelet = node.kubelet.as_ref().unwrap();
    let port = kubelet.setting(&READ_ONLY_PORT).unwrap();
    let at = kubelet.origin_of(&port).unwrap();
    assert_eq!(
        (port.value.as_str(), at.path.as_str()),
        ("10255", "/var/lib/kubelet/config.yaml")
    );
    let files: Vec<(&str, FileClass, u32)> = node
        .files
        .iter()
        .map(|file| (file.path.as_str(), file.class, file.stat.mode))
        .collect();
    assert_eq!(
        files,
        [
            ("/etc/kubernetes/admin.conf", FileClass::Kubeconfig, 0o644),
            ("/etc/kubernetes/pki", FileClass::PkiDirectory, 0o755),
            ("/etc/kubernetes/pki/ca.key", FileClass::PrivateKey, 0o600),
            (
                "/etc/systemd/system/kubelet.service",
                FileClass::KubeletService,
                0o644
            ),
            (
                "/var/lib/kubelet/config.yaml",
                FileClass::KubeletConfig,
                0o644
            ),
        ]
    );
    assert_eq!(
        node.shown("/etc/kubernetes/admin.conf"),
        "node.oci/etc/kubernetes/admin.conf"
    );
}
