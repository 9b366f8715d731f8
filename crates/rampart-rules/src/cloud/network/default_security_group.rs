use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// VPCs whose default security group lets traffic through: an `aws_default_security_group`
    /// declared with rules, or none declared for the VPC, which leaves AWS's default rules
    /// (members reach each other on every port, and everything may go out). CIS asks that it
    /// admit and send nothing, so that resources launched without a group of their own are
    /// isolated.
    ///
    /// ## Why it matters
    /// Everything launched without an explicit group lands in the default one: an instance, a
    /// Lambda or an endpoint created in a hurry inherits whatever it allows, and members of
    /// the group reach each other on every port.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_default_security_group" "default" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     protocol  = -1
    ///     self      = true
    ///     from_port = 0
    ///     to_port   = 0
    ///   }
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_default_security_group" "default" {
    ///   vpc_id = aws_vpc.main.id
    /// }
    /// ```
    pub struct DefaultSecurityGroupOpen {
        code: "C405",
        name: "default-security-group-allows-traffic",
        title: "Default security group allows traffic",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![CisAws: ["5.4"], Cwe: ["CWE-284"]],
        equivalents: &["trivy:AWS-0173", "tfsec:aws-ec2-restrict-all-in-default-sg"],
    }
}

impl Check<Resources> for DefaultSecurityGroupOpen {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if target.resource.kind == "aws_vpc" {
            let model = target.model;
            let declared = model
                .of_kind("aws_default_security_group")
                .any(|(_, group)| {
                    model
                        .linked(group, "vpc_id", &["aws_vpc"], "id")
                        .contains(&target.index)
                        || (group.references.is_empty()
                            && group.get("vpc_id").is_some_and(Value::is_unknown))
                });
            if !declared {
                hits.push(Hit::new(
                    "",
                    "the VPC's default security group keeps AWS's rules: declare an `aws_default_security_group` without rules",
                ));
            }
            return;
        }
        if target.resource.kind != "aws_default_security_group" {
            return;
        }
        for direction in ["ingress", "egress"] {
            let rules = target
                .resource
                .get(direction)
                .map(Value::items)
                .unwrap_or(&[]);
            if !rules.is_empty() {
                hits.push(Hit::new(
                    format!("/{direction}"),
                    format!("the default security group declares {direction} rules: leave it without rules"),
                ));
            }
        }
    }
}
