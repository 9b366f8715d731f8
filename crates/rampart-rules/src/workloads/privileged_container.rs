use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind (regular, init, ephemeral) with `securityContext.privileged: true`:
    /// the Pod Security Standards Baseline control "Privileged Containers".
    ///
    /// ## Why it matters
    /// A privileged container runs with every Linux capability, sees every host device and is
    /// not confined by seccomp or AppArmor. Anyone who gets code execution in it can mount the
    /// node's root disk (`mount /dev/sda1 /mnt`), load kernel modules or write a
    /// `release_agent` into a cgroup: escaping to the node takes one command, and with the node
    /// come the kubelet's credentials and every other pod on it.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.4.2
    ///     securityContext:
    ///       privileged: true
    /// ```
    /// Use instead: drop `privileged` and add only the capability the workload needs.
    /// ```yaml
    ///     securityContext:
    ///       privileged: false
    ///       capabilities:
    ///         drop: ["ALL"]
    ///         add: ["NET_BIND_SERVICE"]
    /// ```
    pub struct PrivilegedContainer {
        code: "K101",
        name: "privileged-container",
        title: "Container runs privileged",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["privileged"],
            Cis: ["5.2.2"],
            Nsa: ["pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &[
            "trivy:KSV-0017",
            "checkov:CKV_K8S_16",
            "kubescape:C-0057",
            "kube-linter:privileged-container",
            "polaris:runAsPrivileged",
        ],
    }
}

impl Check<Objects> for PrivilegedContainer {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "privileged").report(
            hits,
            "remove `privileged` and add only the capabilities the workload needs",
        );
    }
}
