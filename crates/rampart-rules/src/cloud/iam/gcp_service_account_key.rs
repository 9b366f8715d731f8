use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// User-managed keys of GCP service accounts: `google_service_account_key` resources
    /// that have Google create a key (no `public_key_data` uploaded), whose private key then
    /// sits in the Terraform state and wherever it is copied.
    ///
    /// ## Why it matters
    /// A service account key is a long-lived password for the account: it does not expire by
    /// default, works from anywhere, and is found in state files, CI variables and laptops.
    /// CIS asks for Google-managed keys only; workloads use Workload Identity or attached
    /// service accounts, people impersonation.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_service_account_key" "ci" {
    ///   service_account_id = google_service_account.ci.name
    /// }
    /// ```
    /// Use instead: Workload Identity Federation for the CI system, and no key.
    pub struct GcpServiceAccountKey {
        code: "C114",
        name: "gcp-service-account-key",
        title: "GCP service account has a user-managed key",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![CisGcp: ["1.4"], Mitre: ["T1552.001"], Cwe: ["CWE-798"]],
        equivalents: &["checkov:CKV2_GCP_3"],
    }
}

impl Check<Resources> for GcpServiceAccountKey {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let key = target.resource;
        if key.kind != "google_service_account_key" {
            return;
        }
        if key.get("public_key_data").is_some_and(|v| !v.is_null()) {
            return;
        }
        hits.push(Hit::new(
            "",
            "a key for the service account is created and kept in the state: use Workload Identity or impersonation",
        ));
    }
}
