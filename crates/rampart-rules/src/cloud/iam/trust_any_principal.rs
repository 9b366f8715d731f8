use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::{Named, Policies, Request, Resource, ResourcePolicy, Verdict, evaluate};

use super::{as_open_to_anyone, outside_caller};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Holder, IamHolders, IamTarget};

/// What a trust policy lets a principal do with the role.
const ASSUME: [&str; 3] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
];

declare_rule! {
    /// ## What it checks
    /// IAM roles whose trust policy lets any AWS principal of any account assume them:
    /// `Principal: "*"` or `{"AWS": "*"}`, or a `NotPrincipal` allow, without a condition that
    /// limits the callers (their organization `aws:PrincipalOrgID`, their ARN, an
    /// `sts:ExternalId`, the subject of a web identity token). The trust policy is evaluated
    /// for a caller from an unrelated account; conditions that do not limit callers
    /// (`aws:SecureTransport`, `aws:MultiFactorAuthPresent`) are met by anyone.
    ///
    /// ## Why it matters
    /// Anyone with an AWS account can call `sts:AssumeRole` on the role's ARN (ARNs are easy
    /// to guess or find in logs and repositories) and get its permissions.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "partner" {
    ///   assume_role_policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
    ///   })
    /// }
    /// ```
    /// Use instead: name the account that assumes it, with an external id.
    /// ```hcl
    ///     Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    ///                    Principal = { AWS = "arn:aws:iam::111122223333:root" },
    ///                    Condition = { StringEquals = { "sts:ExternalId" = var.external_id } } }]
    /// ```
    pub struct IamTrustAnyPrincipal {
        code: "C107",
        name: "iam-trust-any-principal",
        title: "IAM role may be assumed by any AWS principal",
        severity: Severity::Critical,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1078.004"], Cwe: ["CWE-284"]],
        equivalents: &["checkov:CKV_AWS_60"],
    }
}

impl Check<IamHolders> for IamTrustAnyPrincipal {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        let Holder::Principal(role) = target.holder else {
            return;
        };
        let Some(document) = &role.trust else {
            return;
        };
        let Ok(trust) = &document.policy else {
            return;
        };
        let open = as_open_to_anyone(trust);
        let caller = outside_caller(target.partition());
        let policies = Policies {
            resource: Some(ResourcePolicy {
                named: Named {
                    name: &document.name,
                    policy: &open,
                },
                required: true,
            }),
            ..Policies::default()
        };
        let role_arn = target.account.caller(role).arn;
        for action in ASSUME {
            let request = Request {
                caller: &caller,
                action,
                resource: Resource::Arn(&role_arn),
            };
            let decision = evaluate(&request, &policies);
            if decision.verdict == Verdict::Allowed {
                hits.push(
                    Hit::new(
                        document.pointer.clone(),
                        format!(
                            "any AWS principal of any account may call {action} on the role: name the principals that assume it"
                        ),
                    )
                    .with_evidence(target.evidence(&decision.statements)),
                );
                return;
            }
        }
    }
}
