use rampart_core::{Concern, Layer, Severity, refs};

use super::gcp_grants;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GCP IAM grants to `allUsers` (anyone on the internet) or `allAuthenticatedUsers`
    /// (anyone with a Google account), on any resource: projects, buckets, KMS keys, Cloud
    /// Run services, functions, datasets, topics, service accounts, in `google_*_iam_member`,
    /// `google_*_iam_binding` and `google_*_iam_policy` resources.
    ///
    /// ## Why it matters
    /// `allAuthenticatedUsers` is not "our users": it is every Google account in the world.
    /// Either member makes the role's permissions public: data read from buckets and
    /// datasets, keys used to decrypt, services invoked anonymously.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_storage_bucket_iam_member" "reports" {
    ///   bucket = google_storage_bucket.reports.name
    ///   role   = "roles/storage.objectViewer"
    ///   member = "allUsers"
    /// }
    /// ```
    /// Use instead: the group that reads the reports.
    /// ```hcl
    ///   member = "group:finance@example.com"
    /// ```
    pub struct GcpPublicMember {
        code: "C112",
        name: "gcp-public-member",
        title: "GCP IAM role granted to allUsers or allAuthenticatedUsers",
        severity: Severity::Critical,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![CisGcp: ["5.1"], Mitre: ["T1530"], Cwe: ["CWE-284"]],
        equivalents: &[
            "checkov:CKV_GCP_28",
            "checkov:CKV_GCP_112",
            "trivy:GCP-0001",
            "tfsec:google-storage-no-public-access",
        ],
    }
}

impl Check<Resources> for GcpPublicMember {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        for grant in gcp_grants(target.resource) {
            if !matches!(grant.member.as_str(), "allUsers" | "allAuthenticatedUsers") {
                continue;
            }
            hits.push(
                Hit::new(
                    grant.pointer.clone(),
                    format!(
                        "{} holds {} on the {}: grant it to the users or groups that need it",
                        grant.member,
                        grant.role,
                        grant.on()
                    ),
                )
                .with_identity(format!("{}/{}", grant.role, grant.member)),
            );
        }
    }
}
