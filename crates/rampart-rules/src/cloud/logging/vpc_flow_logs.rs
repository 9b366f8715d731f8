use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// VPCs (`aws_vpc`, `AWS::EC2::VPC`) that no flow log (`aws_flow_log`, `AWS::EC2::FlowLog`)
    /// of the same configuration records, by reference or by id.
    ///
    /// ## Why it matters
    /// Flow logs are the only record of which address talked to which: without them, a node
    /// or pod exfiltrating data, mining or scanning the network leaves no trace to find or
    /// to scope an incident with.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc" "main" {
    ///   cidr_block = "10.0.0.0/16"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_flow_log" "main" {
    ///   vpc_id          = aws_vpc.main.id
    ///   traffic_type    = "ALL"
    ///   log_destination = aws_cloudwatch_log_group.flow.arn
    ///   iam_role_arn    = aws_iam_role.flow_logs.arn
    /// }
    /// ```
    pub struct VpcFlowLogsMissing {
        code: "C706",
        name: "vpc-flow-logs-missing",
        title: "VPC without flow logs",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Logging,
        references: refs![CisAws: ["3.7"], Cwe: ["CWE-778"]],
        equivalents: &[
            "checkov:CKV2_AWS_11",
            "trivy:AWS-0178",
            "tfsec:aws-ec2-require-vpc-flow-logs-for-all-vpcs",
        ],
    }
}

impl Check<Resources> for VpcFlowLogsMissing {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let vpc = target.resource;
        if vpc.kind != "aws_vpc" {
            return;
        }
        let model = target.model;
        let logged = model.of_kind("aws_flow_log").any(|(_, log)| {
            ["vpc_id", "resource_id"].iter().any(|attribute| {
                model
                    .linked(log, attribute, &["aws_vpc"], "id")
                    .contains(&target.index)
            })
        });
        // A flow log whose VPC is not known statically may be this one's.
        let undecided = model.of_kind("aws_flow_log").any(|(_, log)| {
            log.references.is_empty()
                && ["vpc_id", "resource_id"]
                    .iter()
                    .any(|attribute| log.get(attribute).is_some_and(|v| v.is_unknown()))
        });
        if !logged && !undecided {
            hits.push(Hit::new(
                "",
                "no flow log records this VPC: add an `aws_flow_log` for it",
            ));
        }
    }
}
