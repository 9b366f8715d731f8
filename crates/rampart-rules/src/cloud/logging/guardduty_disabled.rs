use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_not_false, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GuardDuty detectors declared with `enable` (`Enable`) false.
    ///
    /// ## Why it matters
    /// GuardDuty is the service that notices stolen credentials used from unusual places,
    /// crypto-mining and, with EKS protection, suspicious Kubernetes API calls. A disabled detector
    /// reports nothing while looking configured.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_guardduty_detector" "main" {
    ///   enable = false
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_guardduty_detector" "main" {
    ///   enable = true
    /// }
    /// ```
    pub struct GuarddutyDisabled {
        code: "C705",
        name: "guardduty-disabled",
        title: "GuardDuty detector is disabled",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Logging,
        references: refs![Mitre: ["T1562.001"], Cwe: ["CWE-778"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["aws_guardduty_detector"],
    paths: &["enable"],
    safe: is_not_false,
    default_safe: true,
    unless: never,
    message: "the detector is declared but turned off: set `enable` to true",
};

impl Check<Resources> for GuarddutyDisabled {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
