use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pod volumes of a type the Pod Security Standards Restricted control "Volume Types"
    /// (`restrictedVolumes`) forbids: anything but `configMap`, `csi`, `downwardAPI`,
    /// `emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`, `projected` and `secret`,
    /// for instance `nfs`, `iscsi`, `rbd`, `cephfs`, `gitRepo`, `flexVolume` or cloud disks
    /// named inline. `restrictedVolumes` also forbids `hostPath`; those volumes are reported by
    /// `K106` and skipped here, so one volume gives one finding.
    ///
    /// ## Why it matters
    /// Inline volume sources bypass the PersistentVolume and StorageClass objects where
    /// administrators control storage: a pod can mount any NFS export or iSCSI target its
    /// node can reach, with credentials it supplies, and read or plant data there. Some
    /// sources run code on the node on the pod's behalf: `gitRepo` runs `git` as root on the
    /// node and has allowed command execution there (CVE-2018-11235, CVE-2024-10220), and
    /// `flexVolume` calls driver binaries installed on the node.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: shared
    ///     nfs:
    ///       server: nfs.internal.example.com
    ///       path: /exports/shared
    /// ```
    /// Use instead: a claim on a PersistentVolume the administrators provide.
    /// ```yaml
    /// volumes:
    ///   - name: shared
    ///     persistentVolumeClaim:
    ///       claimName: shared
    /// ```
    pub struct RestrictedVolumeType {
        code: "K115",
        name: "restricted-volume-type",
        title: "Pod uses a volume type outside the Restricted set",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["restrictedVolumes"],
            Nsa: ["pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-668"],
        ],
        equivalents: &["trivy:KSV-0028"],
    }
}

impl Check<Objects> for RestrictedVolumeType {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "restrictedVolumes")
            .except(target, "hostPathVolumes")
            .report(hits, "use a persistentVolumeClaim, or a csi, ephemeral, configMap, secret or emptyDir volume");
    }
}
