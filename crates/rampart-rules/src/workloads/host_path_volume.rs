use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pod volumes of type `hostPath`: the Pod Security Standards Baseline control "HostPath
    /// Volumes" (`hostPathVolumes`). The Restricted check `restrictedVolumes` forbids them too;
    /// `K115` leaves them to this rule, so a `hostPath` volume gives one finding. Paths to the
    /// node's most sensitive places (runtime sockets, `/`, `/etc`, kubelet directories, ...)
    /// are reported by `K143` instead, ranked above the others.
    ///
    /// ## Why it matters
    /// A `hostPath` volume puts a piece of the node's filesystem inside the container. Mounted
    /// writable, `/` or `/etc` lets an attacker add a cron job or an SSH key and own the node;
    /// `/var/run/containerd/containerd.sock` or `docker.sock` starts privileged containers;
    /// `/var/lib/kubelet` holds the kubelet's credentials and every pod's secrets. Even
    /// read-only mounts leak them, and symlinks inside a writable mount have repeatedly turned
    /// into reads of arbitrary host files (CVE-2017-1002101, CVE-2021-25741).
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: logs
    ///     hostPath:
    ///       path: /var/log
    /// ```
    /// Use instead: a volume that belongs to the pod, or a persistent volume claim.
    /// ```yaml
    /// volumes:
    ///   - name: logs
    ///     emptyDir: {}
    /// ```
    pub struct HostPathVolume {
        code: "K106",
        name: "host-path-volume",
        title: "Pod mounts a path of the node's filesystem",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["hostPathVolumes"],
            Cis: ["5.2.11"],
            Nsa: ["pod-security"],
            Mitre: ["T1611", "T1552.001"],
            Cwe: ["CWE-668"],
        ],
        equivalents: &["trivy:KSV-0023", "kubescape:C-0048", "polaris:hostPathSet"],
    }
}

impl Check<Objects> for HostPathVolume {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "hostPathVolumes").report(
            hits,
            "use an emptyDir, configMap, secret or persistentVolumeClaim volume instead",
        );
    }
}
