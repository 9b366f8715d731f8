use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// EKS clusters without envelope encryption of Kubernetes Secrets: no `encryption_config`
    /// (`EncryptionConfig`) whose `resources` include `secrets` with a KMS key.
    ///
    /// ## Why it matters
    /// Without it, Secrets sit in etcd protected only by EKS's disk encryption: anyone who
    /// reads etcd data (a backup, a snapshot, a flaw in the control plane) reads every
    /// service account token and credential in the cluster. With a KMS key, reading them
    /// also needs `kms:Decrypt`, logged in CloudTrail and revocable.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name = "main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   encryption_config {
    ///     resources = ["secrets"]
    ///     provider { key_arn = aws_kms_key.eks.arn }
    ///   }
    /// ```
    pub struct EksSecretsNotEncrypted {
        code: "C603",
        name: "eks-secrets-not-encrypted",
        title: "EKS Secrets not encrypted with a KMS key",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisEks: ["5.3.1"], Cis: ["1.2.27"], Cwe: ["CWE-311"]],
        equivalents: &[
            "checkov:CKV_AWS_58",
            "trivy:AWS-0039",
            "tfsec:aws-eks-encrypt-secrets",
        ],
    }
}

impl Check<Resources> for EksSecretsNotEncrypted {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if target.resource.kind != "aws_eks_cluster" {
            return;
        }
        let configs = target
            .resource
            .get("encryption_config")
            .map(Value::items)
            .unwrap_or(&[]);
        let mut undecided = false;
        let encrypted = configs.iter().any(|config| {
            let resources = config.get("resources");
            if resources.is_some_and(Value::has_unknown) {
                undecided = true;
            }
            let secrets = resources
                .map(Value::items)
                .unwrap_or(&[])
                .iter()
                .any(|r| r.as_str() == Some("secrets"));
            let key = config.at("provider/key_arn").is_some_and(|k| !k.is_null());
            secrets && key
        });
        if !encrypted && !undecided {
            hits.push(Hit::new(
                "/encryption_config",
                "Secrets are not encrypted with a KMS key: add `encryption_config` for `secrets`",
            ));
        }
    }
}
