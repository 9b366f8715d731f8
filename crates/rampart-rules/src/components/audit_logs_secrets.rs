use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::FileKind;
use rampart_k8s::components::audit::AuditPolicy;

use super::linked::{api_server_file, limited_to, sensitive_rules};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Audit policy rules that log Secrets, ConfigMaps or TokenReviews at `Request` or
    /// `RequestResponse`, counting only requests the rule decides: the API server takes the
    /// first rule that matches a request, so a rule below one that already matches all its
    /// requests on these resources decides none of them. A rule that omits every stage that
    /// carries a body (`ResponseStarted`, `ResponseComplete`, `Panic`) is not reported.
    ///
    /// ## Why it matters
    /// At those levels the audit event holds the request or response body: the data of every
    /// Secret read or written, the bearer token inside every TokenReview. The audit log then
    /// holds the cluster's credentials in plain text, and it is shipped to log stores read by
    /// far more people than may read Secrets.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - level: RequestResponse
    /// ```
    /// Use instead:
    /// ```yaml
    /// rules:
    ///   - level: Metadata
    ///     resources:
    ///       - group: ""
    ///         resources: [secrets, configmaps]
    ///       - group: authentication.k8s.io
    ///         resources: [tokenreviews]
    ///   - level: RequestResponse
    /// ```
    pub struct AuditLogsSecrets {
        code: "K479",
        name: "audit-logs-secrets",
        title: "Audit policy writes Secret data and tokens to the audit log",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["3.2.2"],
            Nsa: ["audit-logging"],
            Mitre: ["T1552"],
            Cwe: ["CWE-532"],
        ],
        equivalents: &["kube-bench:3.2.2", "kubescape:C-0161"],
    }
}

impl Check<Objects> for AuditLogsSecrets {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((policy, readers)) =
            api_server_file(target, FileKind::AuditPolicy, AuditPolicy::parse)
        else {
            return;
        };
        for (rule, resources) in sensitive_rules(&policy, |rule| rule.logs_bodies()) {
            hits.push(Hit::new(
                format!("{}/level", rule.pointer),
                format!(
                    "this rule is the first to match requests on {}{} and logs them at `{}`, bodies included{readers}: log these resources at `Metadata` in a rule above it",
                    resources.join(", "),
                    limited_to(rule),
                    rule.level.name()
                ),
            ));
        }
    }
}
