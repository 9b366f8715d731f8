use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::escalation::Category;

use super::escalation_hits;
use crate::rule::{Check, declare_rule};
use crate::{Hit, IamHolders, IamTarget};

declare_rule! {
    /// ## What it checks
    /// AWS principals and unattached managed policies allowed to change what existing
    /// compute runs, where that compute already holds a role: Lambda code and layers
    /// (`lambda:UpdateFunctionCode`, `lambda:UpdateFunctionConfiguration`), Glue endpoints'
    /// SSH keys, stack updates with a service role, build projects, launch templates, EC2
    /// user data, SSM commands and sessions, EC2 Instance Connect, SageMaker notebooks, App
    /// Runner services, Bedrock AgentCore interpreters. On some resources only or under a
    /// condition, one level lower.
    ///
    /// ## Why it matters
    /// No `iam:PassRole` is needed: the role is already attached, and the holder only has to
    /// make the compute run its code (Rhino Security Labs' methods 17 and 19; pathfinding.cloud's
    /// existing-passrole paths). A deploy role that may update every function may act as
    /// every function's role.
    ///
    /// ## Example
    /// ```hcl
    /// statement {
    ///   actions   = ["ssm:SendCommand"]
    ///   resources = ["*"]
    /// }
    /// ```
    /// Use instead: the instances and documents the operator needs.
    /// ```hcl
    /// statement {
    ///   actions   = ["ssm:SendCommand"]
    ///   resources = ["arn:aws:ssm:*:*:document/AWS-RunPatchBaseline", aws_instance.web.arn]
    /// }
    /// ```
    pub struct IamComputeTakeover {
        code: "C106",
        name: "iam-compute-takeover",
        title: "IAM principal or policy may run code as the role of existing compute",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1078.004", "T1651"], Cwe: ["CWE-269"]],
        equivalents: &[],
    }
}

impl Check<IamHolders> for IamComputeTakeover {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        escalation_hits(target, Category::ExistingPassRole, Severity::High, hits);
    }
}
