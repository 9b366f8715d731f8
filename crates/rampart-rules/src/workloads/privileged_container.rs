use rampart_core::{Concern, Layer, References, Severity};
use rampart_source::Node;

use crate::rule::declare_rule;
use crate::{Hit, Rule, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind (regular, init, ephemeral) with `securityContext.privileged: true`.
    ///
    /// ## Why it matters
    /// A privileged container runs with every Linux capability, sees every host device and is
    /// not confined by seccomp or AppArmor. Anyone who gets code execution in it can mount the
    /// host's disk, load kernel modules or write to `/proc/sysrq-trigger`: escaping to the node
    /// takes one command, and with the node come the kubelet's credentials and every other pod
    /// on it.
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
    ///
    /// ## References
    /// - Pod Security Standards, Baseline: `privileged`
    /// - CIS Kubernetes Benchmark 5.2.2
    /// - NSA/CISA Kubernetes Hardening Guidance: "Use containers built to run applications as non-root users"; "Pod security"
    /// - MITRE ATT&CK T1611 (Escape to Host)
    /// - CWE-250 (Execution with Unnecessary Privileges)
    pub struct PrivilegedContainer {
        code: "K101",
        name: "privileged-container",
        title: "Container runs privileged",
        severity: Severity::Critical,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: References {
            pss: &["privileged"],
            cis: &["5.2.2"],
            nsa: &["pod-security"],
            mitre: &["T1611"],
            cwe: &["CWE-250"],
        },
        equivalents: &[
            "trivy:KSV017",
            "checkov:CKV_K8S_16",
            "kubescape:C-0057",
            "kube-linter:privileged-container",
            "polaris:privilegeEscalationAllowed",
        ],
    }
}

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static rampart_core::RuleMeta {
        &Self::META
    }

    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        for container in pod.containers() {
            if container.security("privileged").and_then(Node::as_bool) == Some(true) {
                hits.push(Hit::new(
                    container.security_pointer("privileged"),
                    format!("container `{}` runs privileged", container.name()),
                ));
            }
        }
    }
}
