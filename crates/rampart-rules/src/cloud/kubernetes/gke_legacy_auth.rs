use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters that accept legacy authentication to the control plane: a client
    /// certificate issued (`master_auth.client_certificate_config.issue_client_certificate`)
    /// or basic authentication (`master_auth.username`).
    ///
    /// ## Why it matters
    /// The issued client certificate is a cluster-admin credential that cannot be revoked
    /// short of rotating the cluster's CA, and basic authentication sends a static password;
    /// both bypass Google identities, their MFA and their audit trail.
    ///
    /// ## Example
    /// ```hcl
    ///   master_auth {
    ///     client_certificate_config {
    ///       issue_client_certificate = true
    ///     }
    ///   }
    /// ```
    /// Use instead: leave `master_auth` out, and authenticate with Google identities.
    pub struct GkeLegacyAuthentication {
        code: "C624",
        name: "gke-legacy-authentication",
        title: "GKE accepts client certificates or basic authentication",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.8.1"], Cwe: ["CWE-287"]],
        equivalents: &[
            "checkov:CKV_GCP_13",
            "checkov:CKV_GCP_19",
            "trivy:GCP-0064",
            "tfsec:google-gke-no-legacy-authentication",
        ],
    }
}

impl Check<Resources> for GkeLegacyAuthentication {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let cluster = target.resource;
        if cluster.kind != "google_container_cluster" {
            return;
        }
        let certificate = "master_auth/client_certificate_config/issue_client_certificate";
        if cluster.get(certificate).and_then(Value::as_bool) == Some(true) {
            hits.push(Hit::new(
                format!("/{certificate}"),
                "a client certificate is issued for the control plane: set `issue_client_certificate` to false",
            ));
        }
        let username = cluster.get("master_auth/username").and_then(Value::as_str);
        if username.is_some_and(|name| !name.is_empty()) {
            hits.push(Hit::new(
                "/master_auth/username",
                "basic authentication is enabled: remove `username` and `password` from `master_auth`",
            ));
        }
    }
}
