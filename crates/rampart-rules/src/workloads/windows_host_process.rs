use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// `securityContext.windowsOptions.hostProcess: true` on the pod or on a container of any
    /// kind: the Pod Security Standards Baseline control "HostProcess"
    /// (`windowsHostProcess`).
    ///
    /// ## Why it matters
    /// A Windows HostProcess container is not isolated at all: it runs as a process directly
    /// on the node, on the host network, with the node's filesystem visible and, typically, as
    /// `NT AUTHORITY\SYSTEM`. Code execution in it is administrator access to the Windows node,
    /// its kubelet credentials and every pod it runs.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   windowsOptions:
    ///     hostProcess: true
    ///     runAsUserName: "NT AUTHORITY\\SYSTEM"
    /// ```
    /// Use instead: an ordinary, isolated Windows container; keep node management in node
    /// provisioning rather than in workloads.
    /// ```yaml
    /// securityContext:
    ///   windowsOptions:
    ///     runAsUserName: ContainerUser
    /// ```
    pub struct WindowsHostProcess {
        code: "K113",
        name: "windows-host-process",
        title: "Windows container runs as a HostProcess",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["windowsHostProcess"],
            Cis: ["5.2.10"],
            Nsa: ["pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &["trivy:KSV-0103", "polaris:hostProcess"],
    }
}

impl Check<Objects> for WindowsHostProcess {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "windowsHostProcess").report(
            hits,
            "remove `hostProcess` and run the workload as an isolated Windows container",
        );
    }
}
