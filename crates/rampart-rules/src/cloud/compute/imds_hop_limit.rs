use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Instances and launch templates whose IMDSv2 token response may travel more than one network
    /// hop (`http_put_response_hop_limit` above 1).
    ///
    /// ## Why it matters
    /// A container's traffic leaves the node through one more hop: with a limit of 2 or more every
    /// pod on an EKS node can get a token and read the node role's credentials, which can pull any
    /// image, describe the VPC and often much more. Pods should get their own roles (IRSA, Pod
    /// Identity) instead.
    ///
    /// ## Example
    /// ```hcl
    ///   metadata_options {
    ///     http_tokens                 = "required"
    ///     http_put_response_hop_limit = 2
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   metadata_options {
    ///     http_tokens                 = "required"
    ///     http_put_response_hop_limit = 1
    ///   }
    /// ```
    pub struct ImdsHopLimit {
        code: "C802",
        name: "imds-reachable-from-pods",
        title: "Instance metadata reachable from containers",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![Mitre: ["T1552.005"], Cwe: ["CWE-668"]],
        equivalents: &[
            "checkov:CKV_AWS_341",
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
        "metadata_options/http_put_response_hop_limit",
        "launch_template_data/metadata_options/http_put_response_hop_limit",
    ],
    safe: hop_limit_one,
    default_safe: true,
    unless: never,
    message: "the metadata token travels more than one hop, so containers on the node reach it: set `http_put_response_hop_limit` to 1",
};

impl Check<Resources> for ImdsHopLimit {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn hop_limit_one(value: &Value) -> bool {
    value.as_f64().is_none_or(|hops| hops <= 1.0)
}
