use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver, kube-controller-manager and kube-scheduler containers whose `--profiling`
    /// is `true`; that is each binary's default, and kubeadm leaves it so. A kube-scheduler
    /// given `--config` ignores the flag (its KubeSchedulerConfiguration decides, and rampart
    /// does not read it yet), so it is not judged.
    ///
    /// ## Why it matters
    /// Profiling serves Go's `pprof` handlers under `/debug/pprof`. Whoever is allowed
    /// `get` on that non-resource URL can read stack traces and heap profiles, which reveal
    /// the program's internals and can carry request data, and can request CPU profiles that
    /// load the control plane. It is a debugging aid with no use in normal operation.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-scheduler
    ///   - --bind-address=127.0.0.1
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --bind-address=127.0.0.1
    ///   - --profiling=false
    /// ```
    pub struct ProfilingEnabled {
        code: "K406",
        name: "component-profiling-enabled",
        title: "Control-plane component serves profiling data",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.15", "1.3.2", "1.4.1"],
            Nsa: ["control-plane-hardening"],
            Cwe: ["CWE-489"],
        ],
        equivalents: &[
            "kube-bench:1.2.15",
            "kube-bench:1.3.2",
            "kube-bench:1.4.1",
            "trivy:KCV-0018",
            "trivy:KCV-0034",
            "trivy:KCV-0040",
            "checkov:CKV_K8S_90",
            "checkov:CKV_K8S_107",
            "checkov:CKV_K8S_114",
            "kubescape:C-0129",
            "kubescape:C-0145",
            "kubescape:C-0151",
        ],
    }
}

impl Check<Objects> for ProfilingEnabled {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        for component in [
            Component::ApiServer,
            Component::ControllerManager,
            Component::Scheduler,
        ] {
            check_flag(
                target,
                hits,
                component,
                "profiling",
                Want::Is("false"),
                "set `--profiling=false`",
            );
        }
    }
}
