use rampart_core::{Concern, Layer, Severity, refs};

use super::eks_public_access;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// EKS clusters with a public API endpoint (`endpoint_public_access`, true unless set to
    /// false), even when limited to some ranges: CIS's recommendation is a private endpoint
    /// and no public access. Rule C601 reports the worse case of an endpoint open to all.
    ///
    /// ## Why it matters
    /// A public endpoint is reachable from outside your networks: its allowed ranges are all
    /// that keeps stolen credentials working from an attacker's machine, and ranges tend to
    /// grow (a contractor's office, a CI provider's whole cloud).
    ///
    /// ## Example
    /// ```hcl
    ///   vpc_config {
    ///     subnet_ids          = var.subnets
    ///     public_access_cidrs = ["203.0.113.0/24"]
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   vpc_config {
    ///     subnet_ids              = var.subnets
    ///     endpoint_private_access = true
    ///     endpoint_public_access  = false
    ///   }
    /// ```
    pub struct EksPublicEndpoint {
        code: "C602",
        name: "eks-public-endpoint",
        title: "EKS API endpoint is public",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisEks: ["5.4.2"], Cwe: ["CWE-668"]],
        equivalents: &[
            "checkov:CKV_AWS_39",
            "trivy:AWS-0040",
            "tfsec:aws-eks-no-public-cluster-access",
        ],
    }
}

impl Check<Resources> for EksPublicEndpoint {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if target.resource.kind != "aws_eks_cluster" {
            return;
        }
        if let Some((true, _)) = eks_public_access(target.resource) {
            hits.push(Hit::new(
                "/vpc_config/0/endpoint_public_access",
                "the API endpoint is public: set `endpoint_public_access` to false and reach it privately",
            ));
        }
    }
}
