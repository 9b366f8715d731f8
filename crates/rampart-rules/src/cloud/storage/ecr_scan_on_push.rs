use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_true, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// ECR repositories that do not scan images when they are pushed
    /// (`image_scanning_configuration.scan_on_push`, `ImageScanningConfiguration.ScanOnPush`).
    ///
    /// ## Why it matters
    /// Images with known vulnerable packages then reach the cluster without anyone being told;
    /// scanning on push is the first, free line of the supply chain.
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
    ///   name = "app"
    ///   image_scanning_configuration {
    ///     scan_on_push = true
    ///   }
    /// }
    /// ```
    pub struct EcrScanOnPush {
        code: "C310",
        name: "ecr-scan-on-push-off",
        title: "ECR repository does not scan images on push",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![CisEks: ["5.1.1"], Cwe: ["CWE-1104"]],
        equivalents: &[
            "checkov:CKV_AWS_163",
            "trivy:AWS-0030",
            "tfsec:aws-ecr-enable-image-scans",
        ],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_ecr_repository"],
    paths: &["image_scanning_configuration/scan_on_push"],
    safe: is_true,
    default_safe: false,
    unless: never,
    message: "pushed images are not scanned: set `image_scanning_configuration.scan_on_push` to true",
};

impl Check<Resources> for EcrScanOnPush {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
