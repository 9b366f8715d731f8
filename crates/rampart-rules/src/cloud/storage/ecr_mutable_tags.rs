use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// ECR repositories whose tags can be moved to another image (`image_tag_mutability`, `MUTABLE`
    /// by default).
    ///
    /// ## Why it matters
    /// Whoever can push to the repository (a leaked CI token) can replace `app:1.4.2` with a
    /// backdoored image that every node pulling that tag then runs, with nothing in the manifests
    /// changing.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "app" {
    ///   name = "app"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_ecr_repository" "app" {
    ///   name                 = "app"
    ///   image_tag_mutability = "IMMUTABLE"
    /// }
    /// ```
    pub struct EcrMutableTags {
        code: "C311",
        name: "ecr-mutable-tags",
        title: "ECR repository tags can be overwritten",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![Mitre: ["T1525"], Cwe: ["CWE-494"]],
        equivalents: &[
            "checkov:CKV_AWS_51",
            "trivy:AWS-0031",
            "tfsec:aws-ecr-enforce-immutable-repository",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_ecr_repository"],
    paths: &["image_tag_mutability"],
    safe: is_immutable,
    default_safe: false,
    unless: never,
    message: "a pushed tag can be replaced with another image: set `image_tag_mutability` to `IMMUTABLE`",
};

impl Check<Resources> for EcrMutableTags {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn is_immutable(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|mutability| mutability.starts_with("IMMUTABLE"))
}
