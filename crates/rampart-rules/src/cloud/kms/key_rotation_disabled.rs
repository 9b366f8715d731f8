use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Symmetric AWS KMS keys (`aws_kms_key`, `AWS::KMS::Key`) without automatic rotation
    /// (`enable_key_rotation`, `EnableKeyRotation`, off by default). Asymmetric and HMAC keys,
    /// which AWS cannot rotate, are left alone.
    ///
    /// ## Why it matters
    /// A key that never rotates protects every ciphertext made with it by the same material
    /// for as long as the key lives: key material that leaks (through a misused grant or an
    /// exported data key) decrypts years of data, and a compliance audit fails on it.
    /// Rotation keeps old material for decryption, so turning it on breaks nothing.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description = "application data"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description         = "application data"
    ///   enable_key_rotation = true
    /// }
    /// ```
    pub struct KmsKeyRotationDisabled {
        code: "C201",
        name: "kms-key-rotation-disabled",
        title: "KMS key is not rotated automatically",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![CisAws: ["3.6"], Cwe: ["CWE-320"]],
        equivalents: &[
            "checkov:CKV_AWS_7",
            "trivy:AWS-0065",
            "tfsec:aws-kms-auto-rotate-keys",
        ],
    }
}

impl Check<Resources> for KmsKeyRotationDisabled {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let key = target.resource;
        if key.kind != "aws_kms_key" {
            return;
        }
        let spec = key
            .str("customer_master_key_spec")
            .or_else(|| key.str("key_spec"))
            .unwrap_or("SYMMETRIC_DEFAULT");
        if spec != "SYMMETRIC_DEFAULT" || key.str("key_usage") == Some("SIGN_VERIFY") {
            return;
        }
        match key.get("enable_key_rotation") {
            Some(value) if value.is_unknown() || value.as_bool() == Some(true) => {}
            _ => hits.push(Hit::new(
                "/enable_key_rotation",
                "automatic rotation is off: set `enable_key_rotation` to true",
            )),
        }
    }
}
