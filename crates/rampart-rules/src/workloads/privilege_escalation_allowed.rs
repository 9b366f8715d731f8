use rampart_core::{Concern, Layer, Severity, refs};

use super::pss::Evidence;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Containers of any kind that do not set `securityContext.allowPrivilegeEscalation: false`,
    /// whether they leave it out or set it to `true`: the Pod Security Standards Restricted
    /// control "Privilege Escalation" (`allowPrivilegeEscalation`). Windows pods
    /// (`spec.os.name: windows`) are exempt, as upstream exempts them.
    ///
    /// ## Why it matters
    /// Unless `allowPrivilegeEscalation` is `false`, the container's processes run without
    /// the kernel's `no_new_privs` flag, so executing a setuid or setgid binary, or one with
    /// file capabilities, raises their privileges. An attacker who lands as an unprivileged
    /// user in the container then gets root inside it through `sudo`, `su`, a setuid helper
    /// left in the image or a vulnerable one (CVE-2021-4034 in `pkexec`), and root in the
    /// container is the starting point of most escapes.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: registry.example.com/api:3.0.1
    /// ```
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: registry.example.com/api:3.0.1
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    /// ```
    pub struct PrivilegeEscalationAllowed {
        code: "K116",
        name: "privilege-escalation-allowed",
        title: "Container allows privilege escalation",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Pss: ["allowPrivilegeEscalation"],
            Cis: ["5.2.6"],
            Nsa: ["pod-security"],
            Mitre: ["T1548.001", "T1068"],
            Cwe: ["CWE-269"],
        ],
        equivalents: &[
            "trivy:KSV-0001",
            "checkov:CKV_K8S_20",
            "kubescape:C-0016",
            "kube-linter:privilege-escalation-container",
            "polaris:privilegeEscalationAllowed",
        ],
    }
}

impl Check<Objects> for PrivilegeEscalationAllowed {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        Evidence::of(target, "allowPrivilegeEscalation").report(
            hits,
            "set `securityContext.allowPrivilegeEscalation: false`",
        );
    }
}
