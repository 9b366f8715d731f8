use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, is_set, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters without Workload Identity (`workload_identity_config.workload_pool`).
    ///
    /// ## Why it matters
    /// Without it, every pod uses the node's Google service account through the metadata server:
    /// one compromised pod has the permissions of all of them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name = "main"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   workload_identity_config {
    ///     workload_pool = "acme-prod.svc.id.goog"
    ///   }
    /// ```
    pub struct GkeWorkloadIdentity {
        code: "C627",
        name: "gke-workload-identity-off",
        title: "GKE Workload Identity not enabled",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.2.2"], Mitre: ["T1552.005"], Cwe: ["CWE-250"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_cluster"],
    paths: &["workload_identity_config/workload_pool"],
    safe: is_set,
    default_safe: false,
    unless: never,
    message: "pods share the node's service account: enable Workload Identity with `workload_identity_config`",
};

impl Check<Resources> for GkeWorkloadIdentity {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}
