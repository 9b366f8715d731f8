use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// VPC subnets that give every instance launched in them a public IP
    /// (`map_public_ip_on_launch`, `MapPublicIpOnLaunch`).
    ///
    /// ## Why it matters
    /// Node groups and autoscaling groups placed in such a subnet put every node on the internet
    /// without anyone asking for it; only load balancers and NAT gateways belong in public subnets.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_subnet" "nodes" {
    ///   map_public_ip_on_launch = true
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_subnet" "nodes" {
    ///   map_public_ip_on_launch = false
    /// }
    /// ```
    pub struct SubnetPublicIp {
        code: "C402",
        name: "subnet-assigns-public-ips",
        title: "Subnet gives public IPs to everything launched in it",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![Cwe: ["CWE-668"]],
        equivalents: &[
            "checkov:CKV_AWS_130",
            "trivy:AWS-0164",
            "tfsec:aws-ec2-no-public-ip-subnet",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_subnet"],
    paths: &["map_public_ip_on_launch"],
    safe: is_not_true,
    default_safe: true,
    unless: never,
    message: "every instance launched here gets a public address: set `map_public_ip_on_launch` to false",
};

impl Check<Resources> for SubnetPublicIp {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
