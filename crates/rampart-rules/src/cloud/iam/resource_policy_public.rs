use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::actions::catalogue;
use rampart_iam::{Effect, Named, Policies, Request, Resource, ResourcePolicy, Verdict, evaluate};

use super::{as_open_to_anyone, outside_caller};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Holder, IamHolders, IamTarget};

/// Actions named in a message before it says how many more there are.
const SHOWN: usize = 4;

declare_rule! {
    /// ## What it checks
    /// Resource policies of S3 buckets, KMS keys, SQS queues, SNS topics, ECR repositories
    /// and Secrets Manager secrets that allow anyone (`Principal: "*"`, `{"AWS": "*"}`, a
    /// `NotPrincipal` allow) an action of the service, with no condition that limits the
    /// callers (an organization, a source account or ARN, a VPC endpoint, an IP range). Each
    /// action of the service is evaluated for a caller from an unrelated account, on the
    /// resources the statements name; denies count as written.
    ///
    /// ## Why it matters
    /// Whatever the policy allows to `*` it allows to every AWS account and, for S3 and SNS,
    /// to anonymous callers: objects read or overwritten, secrets and keys used to decrypt,
    /// messages injected into queues, images pulled or replaced. Public exposure of data is
    /// how most cloud breaches begin.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "jobs" {
    ///   queue_url = aws_sqs_queue.jobs.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = aws_sqs_queue.jobs.arn }]
    ///   })
    /// }
    /// ```
    /// Use instead: limit it to the topic that feeds the queue.
    /// ```hcl
    ///     Statement = [{ Effect = "Allow", Principal = { Service = "sns.amazonaws.com" },
    ///                    Action = "sqs:SendMessage", Resource = aws_sqs_queue.jobs.arn,
    ///                    Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.jobs.arn } } }]
    /// ```
    pub struct ResourcePolicyPublic {
        code: "C109",
        name: "resource-policy-public",
        title: "Resource policy allows anyone",
        severity: Severity::Critical,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1530"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_AWS_70",
            "checkov:CKV_AWS_33",
            "checkov:CKV_AWS_168",
            "checkov:CKV_AWS_169",
            "checkov:CKV_AWS_32",
            "trivy:AWS-0032",
            "tfsec:aws-ecr-no-public-access",
        ],
    }
}

impl Check<IamHolders> for ResourcePolicyPublic {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        let Holder::Resource(attached) = target.holder else {
            return;
        };
        let Ok(policy) = &attached.document.policy else {
            return;
        };
        let open = as_open_to_anyone(policy);
        let caller = outside_caller(target.partition());
        let policies = Policies {
            resource: Some(ResourcePolicy {
                named: Named {
                    name: &attached.document.name,
                    policy: &open,
                },
                required: attached.service == "kms",
            }),
            ..Policies::default()
        };
        // The resources the statements name, and the protected resource itself.
        let mut resources: Vec<&str> = open
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
            .filter_map(|s| s.resources.as_ref().filter(|r| !r.negated))
            .flat_map(|r| r.patterns.iter().map(|p| p.as_str()))
            .chain(attached.arn.as_deref())
            .collect();
        resources.sort_unstable();
        resources.dedup();
        let mut allowed = Vec::new();
        let mut deciding = Vec::new();
        for action in catalogue()
            .iter()
            .filter(|a| a.service() == attached.service)
        {
            let candidates = resources
                .iter()
                .map(|arn| Resource::Arn(arn))
                .chain(std::iter::once(Resource::Every));
            for resource in candidates {
                let request = Request {
                    caller: &caller,
                    action: &action.name,
                    resource,
                };
                let decision = evaluate(&request, &policies);
                if decision.verdict == Verdict::Allowed {
                    allowed.push(action.name.as_str());
                    for statement in decision.statements {
                        if !deciding.contains(&statement) {
                            deciding.push(statement);
                        }
                    }
                    break;
                }
            }
        }
        if allowed.is_empty() {
            return;
        }
        let more = match allowed.len() > SHOWN {
            true => format!(" and {} more", allowed.len() - SHOWN),
            false => String::new(),
        };
        hits.push(
            Hit::new(
                attached.document.pointer.clone(),
                format!(
                    "anyone may call {}{more}: name the principals, or limit the callers with a condition",
                    allowed[..allowed.len().min(SHOWN)].join(", ")
                ),
            )
            .with_evidence(target.evidence(&deciding)),
        );
    }
}
