use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Node;

use super::common::{describe, quoted_list};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// `hostPath` volumes that expose a sensitive part of the node: container runtime sockets
    /// (Docker, containerd, CRI-O) and the directories holding them (`/run`, `/var/run`), the
    /// root directory `/`, `/etc` (and `/etc/kubernetes`), `/proc`, `/sys`, `/dev`, `/boot`,
    /// `/root`, `/home`, `/usr`, `/lib`, `/var/lib/kubelet`, `/var/lib/docker`,
    /// `/var/lib/containerd`, `/var/lib/etcd` and `/var/log`.
    ///
    /// The path is normalised first (repeated and trailing slashes, `.` and `..` segments;
    /// `/var/run` is the same directory as `/run`). A path inside a sensitive location counts
    /// (`/etc/ssl`), and so does a parent of one: mounting `/var` exposes `/var/run` and
    /// `/var/lib/kubelet`. The message ranks the exposure (critical: the node can be taken
    /// over; high: other workloads' data or the node's users are exposed), names the
    /// containers mounting the volume and says whether they mount it read-only.
    ///
    /// Read-only mounts of node files that are commonly and harmlessly shared are not
    /// reported: CA bundles (`/etc/ssl/certs`, `/etc/pki`, `/etc/ca-certificates`,
    /// `/usr/share/ca-certificates`), time zone data (`/etc/localtime`,
    /// `/usr/share/zoneinfo`) and `/etc/machine-id`. Writable mounts of them are, as high: a
    /// planted CA certificate lets the container intercept the node's TLS connections.
    ///
    /// `readOnly` on the mount does not make a socket safe: connecting to a Unix socket is not
    /// a write to the file, so a read-only mount of `docker.sock` still lets the container
    /// drive the runtime. For directories, read-only stops tampering but not reading: keys,
    /// tokens and other pods' data are still exposed.
    ///
    /// Any `hostPath` at all is a Pod Security Standards (Baseline) violation reported by
    /// `K106`; this rule singles out the mounts that hand over the node.
    ///
    /// ## Why it matters
    /// The container runtime's socket accepts "start a privileged container with the host's
    /// root filesystem mounted" from whoever can connect. The kubelet's directory holds every
    /// pod's Secrets and service account tokens, `/etc/kubernetes` the node's (sometimes the
    /// cluster's) credentials, `/var/lib/etcd` every Secret of the cluster. A writable `/etc`,
    /// `/usr`, `/lib` or `/root` lets the container add a user, a cron job, an SSH key or a
    /// trojaned binary to the node; `/proc`, `/sys` and `/dev` reach the kernel and the raw
    /// disks. Writable `/var/log` lets a container plant symbolic links that the kubelet
    /// follows when serving logs, reading any file of the node.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: builder
    ///     volumeMounts:
    ///       - {name: docker, mountPath: /var/run/docker.sock}
    /// volumes:
    ///   - name: docker
    ///     hostPath: {path: /var/run/docker.sock, type: Socket}
    /// ```
    /// Use instead: build images without a daemon (BuildKit rootless, Kaniko, Buildah) or
    /// through a remote builder; for node agents, mount only the specific, non-sensitive
    /// files they need, read-only.
    /// ```yaml
    /// volumes:
    ///   - name: workspace
    ///     emptyDir: {sizeLimit: 2Gi}
    /// ```
    pub struct SensitiveHostPath {
        code: "K143",
        name: "sensitive-host-path",
        title: "hostPath volume exposes a sensitive node path",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["hostPathVolumes"],
            Cis: ["5.2.11"],
            Nsa: ["pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-668"],
        ],
        equivalents: &[
            "trivy:KSV-0006",
            "trivy:KSV-0121",
            "checkov:CKV_K8S_27",
            "kubescape:C-0074",
            "kube-linter:docker-sock",
            "kube-linter:sensitive-host-mounts",
        ],
    }
}

/// A sensitive location, in normal form (`/run` for `/var/run`).
struct Sensitive {
    path: &'static str,
    rank: Severity,
    /// A socket or a directory holding one, where read-only mounts protect nothing.
    socket: bool,
    what: &'static str,
}

const fn entry(path: &'static str, rank: Severity, socket: bool, what: &'static str) -> Sensitive {
    Sensitive {
        path,
        rank,
        socket,
        what,
    }
}

/// Most specific first: the first entry a path matches explains it best.
static SENSITIVE: &[Sensitive] = &[
    entry(
        "/run/docker.sock",
        Severity::Critical,
        true,
        "the Docker daemon socket",
    ),
    entry(
        "/run/containerd/containerd.sock",
        Severity::Critical,
        true,
        "the containerd socket",
    ),
    entry(
        "/run/crio/crio.sock",
        Severity::Critical,
        true,
        "the CRI-O socket",
    ),
    entry(
        "/run/containerd",
        Severity::Critical,
        true,
        "containerd's runtime directory and socket",
    ),
    entry(
        "/run/crio",
        Severity::Critical,
        true,
        "CRI-O's runtime directory and socket",
    ),
    entry(
        "/etc/kubernetes",
        Severity::Critical,
        false,
        "the node's Kubernetes credentials and static pod manifests",
    ),
    entry(
        "/var/lib/kubelet",
        Severity::Critical,
        false,
        "the kubelet's state, with every pod's Secrets and tokens",
    ),
    entry(
        "/var/lib/etcd",
        Severity::Critical,
        false,
        "etcd's data, with every Secret of the cluster",
    ),
    entry(
        "/var/lib/docker",
        Severity::Critical,
        false,
        "every Docker container's filesystem",
    ),
    entry(
        "/var/lib/containerd",
        Severity::Critical,
        false,
        "every containerd container's filesystem",
    ),
    entry(
        "/run",
        Severity::Critical,
        true,
        "the node's runtime directory, with the container runtime sockets",
    ),
    entry(
        "/etc",
        Severity::Critical,
        false,
        "the node's configuration, users and credentials",
    ),
    entry(
        "/proc",
        Severity::Critical,
        false,
        "the node's processes and kernel settings",
    ),
    entry(
        "/sys",
        Severity::Critical,
        false,
        "the node's kernel and cgroup interfaces",
    ),
    entry(
        "/dev",
        Severity::Critical,
        false,
        "the node's devices, including its disks",
    ),
    entry(
        "/boot",
        Severity::Critical,
        false,
        "the node's kernel and boot loader",
    ),
    entry(
        "/root",
        Severity::Critical,
        false,
        "the node's root home directory and its keys",
    ),
    entry("/usr", Severity::Critical, false, "the node's programs"),
    entry(
        "/lib",
        Severity::Critical,
        false,
        "the node's system libraries",
    ),
    entry(
        "/home",
        Severity::High,
        false,
        "the node's user home directories and their keys",
    ),
    entry(
        "/var/log",
        Severity::High,
        false,
        "the directory of the node's and every pod's logs",
    ),
    entry("/", Severity::Critical, true, "the node's whole filesystem"),
];

/// Lexically normalises an absolute path: no repeated or trailing slashes, no `.` or `..`
/// (`..` at the root stays at the root), and `/var/run` spelled `/run`, as it is a link to it
/// on every current distribution. `None` for a relative path.
fn normalise(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    if segments.len() >= 2 && segments[0] == "var" && segments[1] == "run" {
        segments.remove(0);
    }
    Some(format!("/{}", segments.join("/")))
}

/// Whether `inner` is `outer` or lies below it.
fn within(inner: &str, outer: &str) -> bool {
    outer == "/"
        || inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The sensitive locations a mount of `path` (normalised) exposes, with the spelling to show:
/// the one location it lies in, or else the outermost sensitive locations it contains. A
/// parent of `/var/run` (`/var`) is taken to expose it, as on hosts where `/var/run` is a
/// directory rather than a link to `/run`. Empty when nothing sensitive is involved.
fn exposure(path: &str) -> Vec<(String, &'static Sensitive)> {
    // Everything lies below `/`, but only a mount of `/` itself exposes the whole node.
    let inside = |s: &&Sensitive| {
        if s.path == "/" {
            path == "/"
        } else {
            within(path, s.path)
        }
    };
    if let Some(outer) = SENSITIVE.iter().find(inside) {
        return vec![(outer.path.to_owned(), outer)];
    }
    let contained: Vec<(String, &Sensitive)> = SENSITIVE
        .iter()
        .filter_map(|s| {
            if within(s.path, path) {
                return Some((s.path.to_owned(), s));
            }
            let alias = format!("/var{}", s.path);
            (s.path.starts_with("/run") && within(&alias, path)).then_some((alias, s))
        })
        .collect();
    contained
        .iter()
        .filter(|(inner, _)| {
            !contained
                .iter()
                .any(|(outer, _)| outer != inner && within(inner, outer))
        })
        .cloned()
        .collect()
}

impl Check<Objects> for SensitiveHostPath {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        for (index, volume) in pod.volumes() {
            let Some(raw) = volume.path(&["hostPath", "path"]).and_then(Node::as_str) else {
                continue;
            };
            let Some(path) = normalise(raw) else { continue };
            let exposed = exposure(&path);
            let Some(mut rank) = exposed.iter().map(|(_, s)| s.rank).max() else {
                continue;
            };
            let volume_name = volume.get("name").and_then(Node::as_str).unwrap_or("");
            let mounts = Mounts::of(pod, volume_name);
            if READ_ONLY_SAFE.iter().any(|safe| within(&path, safe)) {
                if mounts.read_only_everywhere {
                    continue;
                }
                // Writable trust stores let the container plant a CA and intercept the node's
                // TLS connections, which is serious but not a takeover by itself.
                rank = Severity::High;
            }
            let what = match exposed.as_slice() {
                [(shown, one)] if path == *shown => format!("is {}", one.what),
                [(shown, one)] if within(&path, shown) => {
                    format!("lies in `{shown}`, {}", one.what)
                }
                several => {
                    let paths: Vec<&str> =
                        several.iter().map(|(shown, _)| shown.as_str()).collect();
                    format!("contains {}", quoted_list(&paths))
                }
            };
            let socket = exposed.iter().any(|(_, s)| s.socket);
            hits.push(
                Hit::new(
                    format!("{}/hostPath", pod.volume_pointer(index)),
                    format!(
                        "hostPath volume `{volume_name}` mounts `{raw}` ({}), which {what}; {}; \
                     remove it or mount only the specific, non-sensitive files needed",
                        rank.as_str(),
                        mounts.describe(socket)
                    ),
                )
                .with_severity(rank),
            );
        }
    }
}

/// Node files that are commonly and harmlessly mounted read-only (CA bundles, time zone data,
/// the machine id). Read-only mounts of them are not reported; writable ones are, as high.
static READ_ONLY_SAFE: &[&str] = &[
    "/etc/ssl/certs",
    "/etc/pki",
    "/etc/ca-certificates",
    "/usr/share/ca-certificates",
    "/etc/localtime",
    "/usr/share/zoneinfo",
    "/etc/machine-id",
];

/// The containers that mount a volume, and how.
struct Mounts {
    described: Vec<String>,
    /// True when every mount is read-only (or there is none).
    read_only_everywhere: bool,
}

impl Mounts {
    fn of(pod: &rampart_k8s::PodTemplate<'_>, volume: &str) -> Mounts {
        let mut described = Vec::new();
        let mut read_only_everywhere = true;
        for container in pod.containers() {
            let list = container
                .node
                .get("volumeMounts")
                .map(Node::items)
                .unwrap_or(&[]);
            for mount in list {
                if mount.get("name").and_then(Node::as_str) != Some(volume) {
                    continue;
                }
                let read_only = mount.get("readOnly").and_then(Node::as_bool) == Some(true);
                read_only_everywhere &= read_only;
                described.push(format!(
                    "{} ({})",
                    describe(&container),
                    if read_only { "read-only" } else { "read-write" }
                ));
            }
        }
        Mounts {
            described,
            read_only_everywhere,
        }
    }

    fn describe(&self, socket: bool) -> String {
        if self.described.is_empty() {
            return "no container mounts it yet, but any container added to the pod can".to_owned();
        }
        let mut text = format!("mounted by {}", self.described.join(", "));
        if socket && self.read_only_everywhere {
            text.push_str(", and read-only does not stop a process from connecting to a socket");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_paths() {
        assert_eq!(normalise("/").as_deref(), Some("/"));
        assert_eq!(normalise("//etc//").as_deref(), Some("/etc"));
        assert_eq!(
            normalise("/var/run/docker.sock").as_deref(),
            Some("/run/docker.sock")
        );
        assert_eq!(normalise("/var/./lib/../run/").as_deref(), Some("/run"));
        assert_eq!(normalise("/data/../etc/ssl").as_deref(), Some("/etc/ssl"));
        assert_eq!(normalise("/../../etc").as_deref(), Some("/etc"));
        assert_eq!(normalise("/var").as_deref(), Some("/var"));
        assert_eq!(normalise("data/logs"), None);
    }

    fn exposed(path: &str) -> Vec<String> {
        exposure(&normalise(path).unwrap())
            .into_iter()
            .map(|(shown, _)| shown)
            .collect()
    }

    #[test]
    fn inside_and_parents_of_sensitive_locations() {
        assert_eq!(exposed("/var/run/docker.sock"), ["/run/docker.sock"]);
        assert_eq!(
            exposed("/run/containerd/containerd.sock"),
            ["/run/containerd/containerd.sock"]
        );
        assert_eq!(exposed("/etc/kubernetes/pki"), ["/etc/kubernetes"]);
        assert_eq!(exposed("/etc/ssl/certs"), ["/etc"]);
        assert_eq!(exposed("/var/run/"), ["/run"]);
        assert_eq!(exposed("/"), ["/"]);
        assert_eq!(exposed("/var/log/pods"), ["/var/log"]);
        assert_eq!(
            exposed("/var/lib"),
            [
                "/var/lib/kubelet",
                "/var/lib/etcd",
                "/var/lib/docker",
                "/var/lib/containerd"
            ]
        );
        assert_eq!(
            exposed("/var"),
            [
                "/var/lib/kubelet",
                "/var/lib/etcd",
                "/var/lib/docker",
                "/var/lib/containerd",
                "/var/run",
                "/var/log"
            ]
        );
        assert_eq!(exposed("/var/lib/../"), exposed("/var"));
    }

    #[test]
    fn ordinary_paths_are_not_sensitive() {
        assert!(exposed("/data/app").is_empty());
        assert!(exposed("/var/lib/app-data").is_empty());
        assert!(exposed("/etcd-backup").is_empty());
        assert!(exposed("/mnt/disks/ssd0").is_empty());
        assert!(exposed("/opt/agent").is_empty());
    }
}
