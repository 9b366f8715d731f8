use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// EKS managed node groups with SSH access (`remote_access` with an `ec2_ssh_key`,
    /// `RemoteAccess.Ec2SshKey`) but no `source_security_group_ids`: EKS then opens port 22
    /// of every node to `0.0.0.0/0`.
    ///
    /// ## Why it matters
    /// Every node of the group accepts SSH from the internet: one leaked key pair gives a root
    /// shell on nodes, with the kubelet's credentials, every pod's Secrets and the node role.
    ///
    /// ## Example
    /// ```hcl
    ///   remote_access {
    ///     ec2_ssh_key = "ops"
    ///   }
    /// ```
    /// Use instead: SSM Session Manager, or SSH from a bastion's security group only.
    /// ```hcl
    ///   remote_access {
    ///     ec2_ssh_key               = "ops"
    ///     source_security_group_ids = [aws_security_group.bastion.id]
    ///   }
    /// ```
    pub struct EksNodeGroupSshOpen {
        code: "C605",
        name: "eks-node-group-ssh-open",
        title: "EKS node group open to SSH from anywhere",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisEks: ["5.4.3"], Mitre: ["T1021.004"], Cwe: ["CWE-284"]],
        equivalents: &["checkov:CKV_AWS_100"],
    }
}

impl Check<Resources> for EksNodeGroupSshOpen {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if target.resource.kind != "aws_eks_node_group" {
            return;
        }
        let Some(access) = target
            .resource
            .get("remote_access")
            .and_then(|a| a.items().first())
        else {
            return;
        };
        let key = access.get("ec2_ssh_key").is_some_and(|k| !k.is_null());
        // `SourceSecurityGroups` in CloudFormation.
        let sources = access
            .get("source_security_group_ids")
            .or_else(|| access.get("source_security_groups"));
        if sources.is_some_and(Value::has_unknown) {
            return;
        }
        let restricted = sources.is_some_and(|s| !s.items().is_empty());
        if key && !restricted {
            hits.push(Hit::new(
                "/remote_access/0",
                "SSH to the nodes is open to every address: name `source_security_group_ids` or use Session Manager",
            ));
        }
    }
}
