use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GCP instances and templates that run as the Compute Engine default service account
    /// (`service_account.email` left out or `default`, or an address ending in
    /// `-compute@developer.gserviceaccount.com`); high when it also has the
    /// `cloud-platform` scope, which gives it every permission of the account's roles.
    ///
    /// ## Why it matters
    /// The default service account holds the Editor role on most projects: whoever gets code
    /// execution on the machine (or reaches its metadata server) can change almost anything
    /// in the project.
    ///
    /// ## Example
    /// ```hcl
    ///   service_account {
    ///     scopes = ["cloud-platform"]
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   service_account {
    ///     email  = google_service_account.web.email
    ///     scopes = ["cloud-platform"]
    ///   }
    /// ```
    pub struct GcpDefaultServiceAccount {
        code: "C808",
        name: "gcp-instance-default-service-account",
        title: "Compute instance runs as the default service account",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![CisGcp: ["4.1", "4.2"], Mitre: ["T1552.005"], Cwe: ["CWE-250"]],
        equivalents: &["checkov:CKV_GCP_30", "checkov:CKV_GCP_31"],
    }
}

impl Check<Resources> for GcpDefaultServiceAccount {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        if !target.is(&[
            "google_compute_instance",
            "google_compute_instance_template",
        ]) {
            return;
        }
        let Some(account) = target
            .resource
            .get("service_account")
            .and_then(|a| a.items().first())
        else {
            return;
        };
        let email = account.get("email");
        if email.is_some_and(Value::is_unknown) {
            return;
        }
        let default = match email.and_then(Value::as_str) {
            None | Some("default") => true,
            Some(email) => email.ends_with("-compute@developer.gserviceaccount.com"),
        };
        if !default {
            return;
        }
        let full_access = account
            .get("scopes")
            .map(Value::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(Value::as_str)
            .any(|scope| scope == "cloud-platform" || scope.ends_with("/auth/cloud-platform"));
        let mut hit = Hit::new(
            "/service_account/0/email",
            "the instance runs as the Compute Engine default service account: use a dedicated one",
        );
        if full_access {
            hit = hit.with_severity(Severity::High);
        }
        hits.push(hit);
    }
}
