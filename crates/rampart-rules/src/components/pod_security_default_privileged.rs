use rampart_core::{Concern, Layer, Severity, refs};

use super::linked::pod_security;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// PodSecurity admission plugin configurations (embedded in an AdmissionConfiguration, or a
    /// PodSecurityConfiguration file of their own) whose default `enforce` level is
    /// `privileged`, written or left out (it is the default).
    ///
    /// ## Why it matters
    /// The default applies to every namespace without a
    /// `pod-security.kubernetes.io/enforce` label, which is every namespace someone forgot to
    /// label. At `privileged` nothing is enforced there: privileged containers, host
    /// namespaces and hostPath mounts of the node's root file system are all admitted, one
    /// step from root on the node.
    ///
    /// ## Example
    /// ```yaml
    /// defaults:
    ///   enforce: privileged
    /// ```
    /// Use instead (and label the namespaces that need more, such as `kube-system`):
    /// ```yaml
    /// defaults:
    ///   enforce: baseline
    ///   audit: restricted
    ///   warn: restricted
    /// ```
    pub struct PodSecurityDefaultPrivileged {
        code: "K482",
        name: "pod-security-default-privileged",
        title: "PodSecurity admission enforces nothing by default",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["5.2.1"],
            Nsa: ["pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for PodSecurityDefaultPrivileged {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((config, readers)) = pod_security(target) else {
            return;
        };
        if config.enforce.level != "privileged" {
            return;
        }
        let (pointer, how) = match &config.enforce.pointer {
            Some(pointer) => (pointer.clone(), "is `privileged`"),
            None => (
                format!("{}/defaults", config.pointer),
                "is left at `privileged`",
            ),
        };
        hits.push(Hit::new(
            pointer,
            format!(
                "the default `enforce` level {how}, so namespaces without a `pod-security.kubernetes.io/enforce` label admit any pod{readers}: enforce `baseline` (or `restricted`) by default"
            ),
        ));
    }
}
