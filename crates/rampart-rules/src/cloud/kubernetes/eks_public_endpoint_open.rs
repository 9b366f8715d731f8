use rampart_core::{Concern, Layer, Severity, refs};

use super::{any_anywhere, eks_public_access};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// EKS clusters whose public API endpoint accepts the whole internet: the endpoint is
    /// public (`endpoint_public_access`, true by default) and `public_access_cidrs` is left
    /// out (which means `0.0.0.0/0`) or holds `0.0.0.0/0`.
    ///
    /// ## Why it matters
    /// The Kubernetes API is then one request away for anyone: every leaked kubeconfig or
    /// token works from anywhere, and every authentication or API server flaw is exposed to
    /// internet-wide scanning. Restricting the ranges keeps stolen credentials useless
    /// outside your networks.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   vpc_config {
    ///     subnet_ids = var.subnets
    ///   }
    /// }
    /// ```
    /// Use instead: a private endpoint, or the public one limited to known ranges.
    /// ```hcl
    ///   vpc_config {
    ///     subnet_ids              = var.subnets
    ///     endpoint_private_access = true
    ///     public_access_cidrs     = ["203.0.113.0/24"]
    ///   }
    /// ```
    pub struct EksEndpointOpenToInternet {
        code: "C601",
        name: "eks-endpoint-open-to-internet",
        title: "EKS API endpoint open to the whole internet",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisEks: ["5.4.1"], Mitre: ["T1190"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_AWS_38",
            "trivy:AWS-0041",
            "tfsec:aws-eks-no-public-cluster-access-to-cidr",
        ],
    }
}

impl Check<Resources> for EksEndpointOpenToInternet {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if target.resource.kind != "aws_eks_cluster" {
            return;
        }
        let Some((true, ranges)) = eks_public_access(target.resource) else {
            return;
        };
        if any_anywhere(&ranges) {
            hits.push(Hit::new(
                "/vpc_config/0",
                "the public API endpoint accepts every address: limit `public_access_cidrs` or make the endpoint private",
            ));
        }
    }
}
