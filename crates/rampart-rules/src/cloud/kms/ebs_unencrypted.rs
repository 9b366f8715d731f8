use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// EBS volumes that are not encrypted: `aws_ebs_volume` (`AWS::EC2::Volume`) without
    /// `encrypted = true`, and the root and data volumes of instances, launch templates and
    /// launch configurations (`root_block_device`, `ebs_block_device`, `block_device_mappings`)
    /// without it. Nothing is reported when the configuration turns on EBS encryption by
    /// default for the account and region (`aws_ebs_encryption_by_default`), which encrypts
    /// them all.
    ///
    /// ## Why it matters
    /// Unencrypted volumes and their snapshots hold node file systems in clear: container
    /// images and layers, emptyDir volumes, logs, and often credentials; a snapshot shared by
    /// mistake or copied by a compromised role is readable anywhere.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "aws_ebs_encryption_by_default" "on" {
    ///   enabled = true
    /// }
    /// ```
    pub struct EbsUnencrypted {
        code: "C210",
        name: "ebs-unencrypted",
        title: "EBS volume is not encrypted",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Kms,
        references: refs![CisAws: ["2.2.1"], Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_3",
            "checkov:CKV_AWS_8",
            "trivy:AWS-0026",
            "trivy:AWS-0131",
            "tfsec:aws-ec2-enable-volume-encryption",
            "tfsec:aws-ec2-enable-at-rest-encryption",
        ],
    }
}

impl Check<Resources> for EbsUnencrypted {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let resource = target.resource;
        let by_default = target
            .model
            .of_kind("aws_ebs_encryption_by_default")
            .any(|(_, setting)| setting.get("enabled").and_then(Value::as_bool) != Some(false));
        if by_default {
            return;
        }
        let unencrypted = |device: &Value| {
            let flag = device
                .get("encrypted")
                .or_else(|| device.at("ebs/encrypted"));
            match flag {
                Some(value) if value.is_unknown() => false,
                Some(value) => value.as_bool() != Some(true),
                None => true,
            }
        };
        let message = "the volume is not encrypted: set `encrypted` to true, or turn on EBS encryption by default";
        match resource.kind.as_str() {
            "aws_ebs_volume" if unencrypted(&resource.values) => {
                hits.push(Hit::new("/encrypted", message));
            }
            "aws_instance" | "aws_launch_configuration" | "aws_launch_template" => {
                // An instance without a root block device block gets its AMI's, unencrypted
                // unless the snapshot is.
                if resource.kind != "aws_launch_template"
                    && resource.get("launch_template").is_none()
                {
                    let root = resource.get("root_block_device");
                    match root.map(Value::items) {
                        Some([device, ..]) if unencrypted(device) => {
                            hits.push(Hit::new("/root_block_device/0/encrypted", message));
                        }
                        None | Some([]) => {
                            hits.push(Hit::new("/root_block_device", message));
                        }
                        _ => {}
                    }
                }
                for key in ["ebs_block_device", "block_device_mappings"] {
                    for (index, device) in resource
                        .get(key)
                        .map(Value::items)
                        .unwrap_or(&[])
                        .iter()
                        .enumerate()
                    {
                        let is_ebs = key == "ebs_block_device" || device.get("ebs").is_some();
                        if is_ebs && unencrypted(device) {
                            hits.push(Hit::new(format!("/{key}/{index}"), message));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
