use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

/// The control plane log types EKS can send to CloudWatch.
const LOG_TYPES: [&str; 5] = [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
];

declare_rule! {
    /// ## What it checks
    /// EKS clusters that do not send every control plane log type to CloudWatch Logs
    /// (`enabled_cluster_log_types`, CloudFormation's `Logging.ClusterLogging.EnabledTypes`):
    /// `api`, `audit`, `authenticator`, `controllerManager`, `scheduler`. A missing `audit` or
    /// `authenticator` log is high: those say who did what.
    ///
    /// ## Why it matters
    /// EKS keeps no control plane logs unless asked. Without the audit log there is no record
    /// of who read a Secret, created a privileged pod or bound cluster-admin; without the
    /// authenticator log, no record of which IAM identity became which Kubernetes user.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   enabled_cluster_log_types = ["api"]
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
    /// ```
    pub struct EksControlPlaneLogging {
        code: "C604",
        name: "eks-control-plane-logging-incomplete",
        title: "EKS control plane logs not all enabled",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Logging,
        references: refs![CisEks: ["2.1.1"], Cis: ["1.2.16"], Cwe: ["CWE-778"]],
        equivalents: &[
            "checkov:CKV_AWS_37",
            "trivy:AWS-0038",
            "tfsec:aws-eks-enable-control-plane-logging",
        ],
    }
}

impl Check<Resources> for EksControlPlaneLogging {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let cluster = target.resource;
        if cluster.kind != "aws_eks_cluster" {
            return;
        }
        let (pointer, enabled) = match (
            cluster.get("enabled_cluster_log_types"),
            cluster.get("logging/cluster_logging/enabled_types"),
        ) {
            (Some(types), _) => ("/enabled_cluster_log_types", types.clone()),
            (None, Some(types)) => (
                "/logging/cluster_logging/enabled_types",
                Value::List(
                    types
                        .items()
                        .iter()
                        .map(|t| t.get("type").cloned().unwrap_or_else(Value::unknown))
                        .collect(),
                ),
            ),
            (None, None) => ("/enabled_cluster_log_types", Value::List(Vec::new())),
        };
        if enabled.has_unknown() {
            return;
        }
        let missing: Vec<&str> = LOG_TYPES
            .into_iter()
            .filter(|kind| !enabled.items().iter().any(|e| e.as_str() == Some(kind)))
            .collect();
        if missing.is_empty() {
            return;
        }
        let mut hit = Hit::new(
            pointer,
            format!(
                "control plane logs not sent to CloudWatch: {}",
                missing.join(", ")
            ),
        );
        if missing
            .iter()
            .any(|kind| matches!(*kind, "audit" | "authenticator"))
        {
            hit = hit.with_severity(Severity::High);
        }
        hits.push(hit);
    }
}
