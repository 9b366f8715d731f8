use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::Verdict;

use super::holder_name;
use crate::rule::{Check, declare_rule};
use crate::{Hit, IamHolders, IamTarget};

declare_rule! {
    /// ## What it checks
    /// AWS users, roles and groups allowed every action on all resources, with all their
    /// policies combined as AWS combines them (inline, attached, their groups', AWS managed
    /// ones such as `AdministratorAccess`, bounded by a permissions boundary, less any
    /// Deny); and customer managed policies that no declared principal holds yet, for what
    /// they would grant. `Action: "*"` is one way; `NotAction` with a short list is another
    /// only when the list excludes nothing (it then misses some actions, which other rules
    /// report). Under a `Condition` (MFA, a source network) the finding is one level lower.
    ///
    /// ## Why it matters
    /// A full administrator can do anything in the account: read every secret and bucket,
    /// create users and keys for later, delete the trail that would show it. Stolen
    /// credentials of such a principal, or code running as it, are the whole account. CIS
    /// asks that no policy grant `*:*`; administrators should hold narrower roles and assume
    /// an administrative one when needed, with MFA.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy_attachment" "ci" {
    ///   role       = aws_iam_role.ci.name
    ///   policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    /// }
    /// ```
    /// Use instead: grant the actions the role uses, on the resources it uses.
    /// ```hcl
    /// resource "aws_iam_role_policy" "ci" {
    ///   role   = aws_iam_role.ci.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = ["ecr:PutImage"], Resource = aws_ecr_repository.app.arn }]
    ///   })
    /// }
    /// ```
    pub struct IamFullAdmin {
        code: "C101",
        name: "iam-full-admin",
        title: "IAM principal or policy allows every action on every resource",
        severity: Severity::Critical,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![CisAws: ["1.16"], Mitre: ["T1078.004"], Cwe: ["CWE-269"]],
        equivalents: &["checkov:CKV_AWS_62", "checkov:CKV_AWS_274"],
    }
}

impl Check<IamHolders> for IamFullAdmin {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(admin) = &target.analysis().full_admin else {
            return;
        };
        let (severity, under) = match admin.verdict {
            Verdict::Allowed => (Severity::Critical, ""),
            _ => (
                Severity::High,
                ", under the conditions of the statements below",
            ),
        };
        hits.push(
            Hit::new(
                "",
                format!(
                    "{} may do every action on every resource{under}: grant the actions it uses",
                    holder_name(target)
                ),
            )
            .with_severity(severity)
            .with_evidence(target.evidence(&admin.statements)),
        );
    }
}
