use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::escalation::Category;

use super::escalation_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, IamHolders, IamTarget};

declare_rule! {
    /// ## What it checks
    /// AWS principals and unattached managed policies allowed `iam:PassRole` together with a
    /// service's action that starts compute running as the passed role: EC2 instances and
    /// spot requests, Lambda functions, Glue endpoints and jobs, CloudFormation stacks and
    /// stack sets, Data Pipeline, CodeBuild, CodeStar, SageMaker notebooks and jobs, ECS
    /// tasks and services, App Runner, Bedrock AgentCore code interpreters (every such method
    /// of Rhino Security Labs, Bishop Fox's iam-vulnerable and pathfinding.cloud). A
    /// `PassRole` limited by `iam:PassedToService` or to some roles is one level lower.
    ///
    /// ## Why it matters
    /// The holder launches something it controls (user data, function code, a template) with
    /// a more privileged role attached, and reads that role's credentials from inside: the
    /// holder has the role's permissions without any policy saying so.
    ///
    /// ## Example
    /// ```hcl
    /// statement {
    ///   actions   = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
    ///   resources = ["*"]
    /// }
    /// ```
    /// Use instead: pass only the function's own role.
    /// ```hcl
    /// statement {
    ///   actions   = ["iam:PassRole"]
    ///   resources = [aws_iam_role.function.arn]
    /// }
    /// ```
    pub struct IamPassRoleEscalation {
        code: "C105",
        name: "iam-pass-role-escalation",
        title: "IAM principal or policy may pass a role to compute it controls",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1078.004"], Cwe: ["CWE-269"]],
        equivalents: &["checkov:CKV_AWS_286"],
    }
}

impl Check<IamHolders> for IamPassRoleEscalation {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        escalation_hits(target, Category::NewPassRole, Severity::High, hits);
    }
}
