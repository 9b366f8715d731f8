use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers started without `--audit-log-path`. (An audit webhook,
    /// `--audit-webhook-config-file`, is another place audit events can go; this rule asks for
    /// the log file that the benchmark asks for.)
    ///
    /// ## Why it matters
    /// Without an audit log, the API server keeps no record of who read which Secret, who
    /// created which pod, or who bound which role: an intrusion through the API cannot be
    /// detected or reconstructed. The log also needs a policy (`--audit-policy-file`) that
    /// says what to record.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --authorization-mode=Node,RBAC
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    ///   - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    /// ```
    pub struct ApiserverAuditLogMissing {
        code: "K407",
        name: "apiserver-audit-log-missing",
        title: "API server keeps no audit log",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.16"],
            Nsa: ["audit-logging"],
            Cwe: ["CWE-778"],
        ],
        equivalents: &[
            "kube-bench:1.2.16",
            "trivy:KCV-0019",
            "checkov:CKV_K8S_91",
            "kubescape:C-0130",
        ],
    }
}

impl Check<Objects> for ApiserverAuditLogMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "audit-log-path",
            Want::Set,
            "set `--audit-log-path` (and an `--audit-policy-file`) to record requests",
        );
    }
}
