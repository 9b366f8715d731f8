use rampart_cloud::{Resource, Value};
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::Required;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// EC2 instances, launch templates (EKS node groups use them) and launch configurations that do
    /// not require IMDSv2 session tokens: `metadata_options.http_tokens` not `required` (left out,
    /// the AMI decides, and most allow v1). An instance built from a launch template takes the
    /// template's setting and is left to it.
    ///
    /// ## Why it matters
    /// With IMDSv1 a single server-side request forgery in any application on the node (or any pod
    /// on an EKS node) fetches the instance role's credentials from `169.254.169.254`: the Capital
    /// One breach in one request. IMDSv2's PUT-then-GET token defeats those forged GETs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_launch_template" "nodes" {
    ///   name = "nodes"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_launch_template" "nodes" {
    ///   name = "nodes"
    ///   metadata_options {
    ///     http_tokens                 = "required"
    ///     http_put_response_hop_limit = 1
    ///   }
    /// }
    /// ```
    pub struct Imdsv1Allowed {
        code: "C801",
        name: "imdsv1-allowed",
        title: "Instance metadata service v1 allowed",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![CisAws: ["5.6"], Mitre: ["T1552.005"], Cwe: ["CWE-918"]],
        equivalents: &[
            "checkov:CKV_AWS_79",
            "trivy:AWS-0028",
            "trivy:AWS-0130",
            "tfsec:aws-ec2-enforce-http-token-imds",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &[
        "aws_instance",
        "aws_launch_template",
        "aws_launch_configuration",
    ],
    paths: &[
        "metadata_options/http_tokens",
        "launch_template_data/metadata_options/http_tokens",
    ],
    safe: is_required,
    default_safe: false,
    unless: uses_launch_template,
    message: "the metadata service answers without a session token (IMDSv1): set `http_tokens` to `required`",
};

impl Check<Resources> for Imdsv1Allowed {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn is_required(value: &Value) -> bool {
    value.as_str() == Some("required")
}

/// An instance built from a launch template takes the template's metadata options.
fn uses_launch_template(resource: &Resource) -> bool {
    resource.kind == "aws_instance"
        && resource
            .get("launch_template")
            .is_some_and(|t| !t.items().is_empty())
}
