use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::escalation::Category;

use super::escalation_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, IamHolders, IamTarget};

declare_rule! {
    /// ## What it checks
    /// AWS principals and unattached managed policies holding a published method to become
    /// another principal: an access key for another user (`iam:CreateAccessKey`), a console
    /// password set or changed (`iam:CreateLoginProfile`, `iam:UpdateLoginProfile`), a role's
    /// trust policy rewritten (`iam:UpdateAssumeRolePolicy`), `sts:AssumeRole` on every role,
    /// and the pairs that change a principal's policies before taking it over. Asked of the
    /// evaluator permission by permission; under a condition or on some resources only, one
    /// level lower.
    ///
    /// ## Why it matters
    /// The holder inherits the permissions of whichever user or role it takes over, the most
    /// privileged ones first (Rhino Security Labs' methods 4 to 6 and 14; pathfinding.cloud's
    /// principal-access paths). The original owner usually notices nothing.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy" "support" {
    ///   role   = aws_iam_role.support.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = "*" }]
    ///   })
    /// }
    /// ```
    /// Use instead: let users manage their own keys only.
    /// ```hcl
    ///     Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey",
    ///                    Resource = "arn:aws:iam::*:user/$${aws:username}" }]
    /// ```
    pub struct IamCredentialAccess {
        code: "C104",
        name: "iam-credential-access",
        title: "IAM principal or policy may take over another principal",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1098.001"], Cwe: ["CWE-269"]],
        equivalents: &[],
    }
}

impl Check<IamHolders> for IamCredentialAccess {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        escalation_hits(target, Category::PrincipalAccess, Severity::High, hits);
    }
}
