use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::FileKind;
use rampart_k8s::components::audit::{AuditPolicy, Level};

use super::linked::{api_server_file, limited_to, sensitive_rules};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Audit policy rules at level `None` that are the first to match some requests on
    /// Secrets, ConfigMaps or TokenReviews, so those requests are not recorded. (Requests no
    /// rule matches are not recorded either; K481 reports a policy without a catch-all rule.)
    ///
    /// ## Why it matters
    /// Reading Secrets is how an intruder turns one foothold into many: service account
    /// tokens, registry and cloud credentials. Who read which Secret, and when, is the first
    /// question of an investigation; `Metadata` answers it without recording the data.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - level: None
    ///     resources:
    ///       - group: ""
    ///         resources: [secrets]
    ///   - level: Metadata
    /// ```
    /// Use instead:
    /// ```yaml
    /// rules:
    ///   - level: Metadata
    ///     resources:
    ///       - group: ""
    ///         resources: [secrets]
    ///   - level: Metadata
    /// ```
    pub struct AuditSensitiveUnlogged {
        code: "K480",
        name: "audit-sensitive-unlogged",
        title: "Audit policy does not record access to Secrets",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["3.2.2"],
            Nsa: ["audit-logging"],
            Mitre: ["T1562.001"],
            Cwe: ["CWE-778"],
        ],
        equivalents: &["kube-bench:3.2.2", "kubescape:C-0161"],
    }
}

impl Check<Objects> for AuditSensitiveUnlogged {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((policy, readers)) =
            api_server_file(target, FileKind::AuditPolicy, AuditPolicy::parse)
        else {
            return;
        };
        for (rule, resources) in sensitive_rules(&policy, |rule| rule.level == Level::None) {
            hits.push(Hit::new(
                format!("{}/level", rule.pointer),
                format!(
                    "this rule is the first to match requests on {}{} and records none of them{readers}: log these resources at `Metadata`",
                    resources.join(", "),
                    limited_to(rule)
                ),
            ));
        }
    }
}
