use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::escalation::Category;

use super::escalation_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, IamHolders, IamTarget};

declare_rule! {
    /// ## What it checks
    /// AWS principals and unattached managed policies holding a published privilege
    /// escalation method that raises the holder's own permissions: a new default version of
    /// an attached policy (`iam:CreatePolicyVersion`), an earlier version made default
    /// (`iam:SetDefaultPolicyVersion`), an attached or inline policy on its own user, role or
    /// group (`iam:Attach*Policy`, `iam:Put*Policy`), joining a group
    /// (`iam:AddUserToGroup`), a CodeStar project's policy. Each method is asked of the
    /// evaluator permission by permission, so a Deny, a `NotAction` or a boundary that takes
    /// one away removes it; a grant under a condition or on some resources is one level
    /// lower. Full administrators are reported by C101 instead.
    ///
    /// ## Why it matters
    /// These permissions are administrative access in disguise: one API call gives the holder
    /// `AdministratorAccess` (Rhino Security Labs' methods 1, 2, 7 to 13). Whoever steals the
    /// holder's credentials, or runs code as it, owns the account.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_user_policy" "dev" {
    ///   user   = aws_iam_user.dev.name
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = "*" }]
    ///   })
    /// }
    /// ```
    /// Use instead: let an administrator attach policies, or limit the grant with a
    /// permissions boundary that the holder cannot change.
    pub struct IamSelfEscalation {
        code: "C103",
        name: "iam-self-escalation",
        title: "IAM principal or policy may raise its own permissions",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1098.003"], Cwe: ["CWE-269"]],
        equivalents: &["checkov:CKV_AWS_286"],
    }
}

impl Check<IamHolders> for IamSelfEscalation {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        escalation_hits(target, Category::SelfEscalation, Severity::High, hits);
    }
}
