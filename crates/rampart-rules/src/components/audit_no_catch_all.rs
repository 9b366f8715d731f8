use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::FileKind;
use rampart_k8s::components::audit::{AuditPolicy, Level};

use super::linked::api_server_file;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Audit policies without a rule that matches every request (one that sets none of
    /// `users`, `userGroups`, `verbs`, `resources`, `namespaces`, `nonResourceURLs`), or whose
    /// first such rule has level `None`; a policy without rules records nothing (high).
    ///
    /// ## Why it matters
    /// The API server records nothing for a request no rule matches. A policy that lists the
    /// resources someone thought of leaves out every resource added later, custom resources,
    /// and the ones an intruder uses precisely because nobody thought of them.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   - level: Metadata
    ///     resources:
    ///       - group: ""
    ///         resources: [secrets]
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
    pub struct AuditNoCatchAll {
        code: "K481",
        name: "audit-no-catch-all",
        title: "Audit policy leaves requests unrecorded",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["3.2.1"],
            Nsa: ["audit-logging"],
            Mitre: ["T1562.001"],
            Cwe: ["CWE-778"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for AuditNoCatchAll {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((policy, readers)) =
            api_server_file(target, FileKind::AuditPolicy, AuditPolicy::parse)
        else {
            return;
        };
        match policy.catch_all() {
            None if policy.rules.is_empty() => hits.push(
                Hit::new(
                    "/rules",
                    format!("the policy has no rules, so no request is recorded{readers}: add at least `- level: Metadata`"),
                )
                .with_severity(Severity::High),
            ),
            None => hits.push(Hit::new(
                "/rules",
                format!(
                    "no rule matches every request, so requests none of the {} rules match are not recorded{readers}: end the rules with `- level: Metadata`",
                    policy.rules.len()
                ),
            )),
            Some(rule) if rule.level == Level::None => hits.push(Hit::new(
                format!("{}/level", rule.pointer),
                format!("the rule that matches every request records nothing, so requests the rules above it do not match are not recorded{readers}: make it `level: Metadata`"),
            )),
            Some(_) => {}
        }
    }
}
