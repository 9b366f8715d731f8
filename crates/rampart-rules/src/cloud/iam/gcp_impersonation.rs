use rampart_core::{Concern, Layer, Severity, refs};

use super::gcp_grants;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

/// Roles that let a member act as a service account (get its tokens, run things as it) or
/// create keys for it.
const ROLES: [&str; 5] = [
    "roles/iam.serviceAccountUser",
    "roles/iam.serviceAccountTokenCreator",
    "roles/iam.serviceAccountKeyAdmin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.workloadIdentityUser",
];

declare_rule! {
    /// ## What it checks
    /// GCP grants of the roles that let a member impersonate service accounts or create keys
    /// for them (`roles/iam.serviceAccountUser`, `roles/iam.serviceAccountTokenCreator`,
    /// `roles/iam.serviceAccountKeyAdmin`, `roles/iam.serviceAccountAdmin`,
    /// `roles/iam.workloadIdentityUser`). On a project, folder or organization they cover
    /// every service account in it (high); on one service account, that account (medium).
    ///
    /// ## Why it matters
    /// A member who may mint a service account's tokens or keys has that account's
    /// permissions, and service accounts often hold more than the people who use them: a
    /// project-level grant is a path from any member to the most privileged account in the
    /// project. CIS asks that these roles not be granted at project level.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_project_iam_member" "dev" {
    ///   project = var.project
    ///   role    = "roles/iam.serviceAccountTokenCreator"
    ///   member  = "group:developers@example.com"
    /// }
    /// ```
    /// Use instead: the grant on the one service account the group uses.
    /// ```hcl
    /// resource "google_service_account_iam_member" "dev" {
    ///   service_account_id = google_service_account.build.name
    ///   role               = "roles/iam.serviceAccountTokenCreator"
    ///   member             = "group:developers@example.com"
    /// }
    /// ```
    pub struct GcpServiceAccountImpersonation {
        code: "C113",
        name: "gcp-service-account-impersonation",
        title: "GCP member may impersonate or create keys for service accounts",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![CisGcp: ["1.6"], Mitre: ["T1098.001"], Cwe: ["CWE-269"]],
        equivalents: &[
            "checkov:CKV_GCP_41",
            "checkov:CKV_GCP_49",
            "trivy:GCP-0011",
            "trivy:GCP-0005",
            "trivy:GCP-0009",
            "tfsec:google-iam-no-project-level-service-account-impersonation",
        ],
    }
}

impl Check<Resources> for GcpServiceAccountImpersonation {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        for grant in gcp_grants(target.resource) {
            if !ROLES.contains(&grant.role.as_str()) {
                continue;
            }
            let (severity, which, fix) = match grant.scope.as_str() {
                "project" | "folder" | "organization" => (
                    Severity::High,
                    format!("every service account of the {}", grant.on()),
                    "grant it on the one service account needed",
                ),
                "service_account" => (
                    Severity::Medium,
                    "the service account".to_owned(),
                    "grant it only to the identities that must act as it",
                ),
                _ => continue,
            };
            hits.push(
                Hit::new(
                    grant.pointer.clone(),
                    format!(
                        "{} holds {}, which acts as or creates keys for {which}: {fix}",
                        grant.member, grant.role
                    ),
                )
                .with_severity(severity)
                .with_identity(format!("{}/{}", grant.role, grant.member)),
            );
        }
    }
}
