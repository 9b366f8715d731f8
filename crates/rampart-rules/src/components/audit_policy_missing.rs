use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::{Component, ComponentContainer};

use super::flags::{Want, check_flag_where};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers that send audit events somewhere (`--audit-log-path` or
    /// `--audit-webhook-config-file`) without an audit policy (`--audit-policy-file`). An API
    /// server with neither destination is reported by K407 instead.
    ///
    /// ## Why it matters
    /// Without a policy the API server records nothing: the log file stays empty and the
    /// webhook receives no events, while the flags make it look as if auditing were on.
    ///
    /// ## Example
    /// ```yaml
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    /// ```
    /// Use instead:
    /// ```yaml
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    ///   - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    /// ```
    pub struct ApiserverAuditPolicyMissing {
        code: "K478",
        name: "apiserver-audit-policy-missing",
        title: "API server has an audit destination but no audit policy",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["3.2.1"],
            Nsa: ["audit-logging"],
            Mitre: ["T1562.001"],
            Cwe: ["CWE-778"],
        ],
        equivalents: &["kube-bench:3.2.1", "kubescape:C-0160"],
    }
}

impl Check<Objects> for ApiserverAuditPolicyMissing {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag_where(
            target,
            hits,
            Component::ApiServer,
            sends_audit_events,
            "audit-policy-file",
            Want::Set,
            "without an audit policy nothing is recorded; set `--audit-policy-file`",
        );
    }
}

fn sends_audit_events(container: &ComponentContainer<'_>) -> bool {
    ["audit-log-path", "audit-webhook-config-file"]
        .into_iter()
        .any(|flag| {
            container
                .setting(flag)
                .is_some_and(|setting| !setting.is_default() && !setting.value.is_empty())
        })
}
