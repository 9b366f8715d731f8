use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// EC2 instances launched with a public IP address (`associate_public_ip_address` true).
    ///
    /// ## Why it matters
    /// A public address makes every port the instance's security groups open reachable from the
    /// internet, and one security group mistake away from exposure; nodes of a cluster never need
    /// one.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   associate_public_ip_address = true
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   associate_public_ip_address = false
    /// }
    /// ```
    pub struct InstancePublicIp {
        code: "C803",
        name: "instance-public-ip",
        title: "Instance gets a public IP address",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![CisGcp: ["4.9"], Cwe: ["CWE-668"]],
        equivalents: &[
            "checkov:CKV_AWS_88",
            "trivy:AWS-0009",
            "tfsec:aws-ec2-no-public-ip",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_instance"],
    paths: &["associate_public_ip_address"],
    safe: is_not_true,
    default_safe: true,
    unless: never,
    message: "the instance is given a public address: set `associate_public_ip_address` to false and reach it through a load balancer or Session Manager",
};

impl Check<Resources> for InstancePublicIp {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
