use rampart_core::{Concern, Layer, Severity, refs};

use super::gcp_grants;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GCP IAM grants of the basic (primitive) roles `roles/owner`, `roles/editor` and
    /// `roles/viewer` on a project, folder or organization, in `google_*_iam_member`,
    /// `google_*_iam_binding` and `google_*_iam_policy` resources. Owner and editor are
    /// high, viewer medium.
    ///
    /// ## Why it matters
    /// Basic roles predate IAM: editor alone holds thousands of permissions across every
    /// service (including acting as service accounts), owner adds IAM itself, and viewer
    /// reads nearly all data. They cannot be limited to what a member does, so whoever holds
    /// them, or steals their credentials, holds the project.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_project_iam_member" "ci" {
    ///   project = var.project
    ///   role    = "roles/editor"
    ///   member  = "serviceAccount:${google_service_account.ci.email}"
    /// }
    /// ```
    /// Use instead: predefined roles for what the member does.
    /// ```hcl
    ///   role    = "roles/artifactregistry.writer"
    /// ```
    pub struct GcpPrimitiveRole {
        code: "C111",
        name: "gcp-primitive-role",
        title: "GCP basic role granted on a project, folder or organization",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1078.004"], Cwe: ["CWE-269"]],
        equivalents: &["checkov:CKV_GCP_117", "checkov:CKV_GCP_116", "checkov:CKV_GCP_115"],
    }
}

impl Check<Resources> for GcpPrimitiveRole {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        for grant in gcp_grants(target.resource) {
            if !matches!(grant.scope.as_str(), "project" | "folder" | "organization") {
                continue;
            }
            let severity = match grant.role.as_str() {
                "roles/owner" | "roles/editor" => Severity::High,
                "roles/viewer" => Severity::Medium,
                _ => continue,
            };
            hits.push(
                Hit::new(
                    grant.pointer.clone(),
                    format!(
                        "{} holds the basic role {} on the {}: grant predefined roles for what it does",
                        grant.member,
                        grant.role,
                        grant.on()
                    ),
                )
                .with_severity(severity)
                .with_identity(format!("{}/{}", grant.role, grant.member)),
            );
        }
    }
}
