use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::Verdict;
use rampart_iam::actions::{AccessLevel, find};

use super::holder_name;
use crate::rule::{Check, declare_rule};
use crate::{Hit, IamHolders, IamTarget};

declare_rule! {
    /// ## What it checks
    /// AWS principals and unattached managed policies allowed IAM actions that change
    /// identities or permissions: the IAM actions whose access level in AWS's Service
    /// Authorization Reference is "Permissions management" (`iam:PutRolePolicy`,
    /// `iam:PassRole`, `iam:CreateAccessKey`, ...) or "Write" (`iam:CreateUser`), however
    /// they are granted (`iam:*`, `iam:Put*`, a `NotAction` that leaves IAM in), after every
    /// Deny and boundary. Full administrators are reported by C101 instead.
    ///
    /// ## Why it matters
    /// Whoever may change IAM may give itself or others any permission: write access to IAM
    /// is administrative access one step removed. The escalation rules (C103 to C106) name
    /// the published methods among these grants; this rule reports the grant itself, which
    /// belongs only to the few principals that manage identities.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "deploy" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = ["iam:*", "s3:*"], Resource = "*" }]
    ///   })
    /// }
    /// ```
    /// Use instead: only the IAM reads the tool needs, or the exact role it passes.
    /// ```hcl
    ///     Statement = [{ Effect = "Allow", Action = ["s3:*"], Resource = "*" }]
    /// ```
    pub struct IamWriteAccess {
        code: "C102",
        name: "iam-write-access",
        title: "IAM principal or policy may change identities or permissions",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1098"], Cwe: ["CWE-269"]],
        equivalents: &["checkov:CKV_AWS_289"],
    }
}

/// Actions named in a message before it says how many more there are.
const SHOWN: usize = 5;

impl Check<IamHolders> for IamWriteAccess {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        let writes = &target.analysis().iam_writes;
        if writes.is_empty() {
            return;
        }
        // Permissions management first: they are what escalates.
        let mut sorted: Vec<&(String, _)> = writes.iter().collect();
        sorted.sort_by_key(|(action, _)| {
            find(action).is_none_or(|a| a.level != AccessLevel::Permissions)
        });
        let names: Vec<&str> = sorted.iter().take(SHOWN).map(|(a, _)| a.as_str()).collect();
        let more = match writes.len() > SHOWN {
            true => format!(" and {} more", writes.len() - SHOWN),
            false => String::new(),
        };
        let sure = writes.iter().any(|(_, d)| d.verdict == Verdict::Allowed);
        let mut deciding: Vec<_> = Vec::new();
        for (_, decision) in writes {
            for statement in &decision.statements {
                if !deciding.contains(statement) {
                    deciding.push(statement.clone());
                }
            }
        }
        let message = format!(
            "{} may change IAM: {}{more}{}",
            holder_name(target),
            names.join(", "),
            if sure {
                ""
            } else {
                ", under the conditions of the statements below"
            }
        );
        hits.push(
            Hit::new("", message)
                .with_severity(if sure {
                    Severity::High
                } else {
                    Severity::Medium
                })
                .with_evidence(target.evidence(&deciding)),
        );
    }
}
