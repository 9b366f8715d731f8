use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers started with `--token-auth-file`, a CSV file of static bearer
    /// tokens and the users and groups they authenticate as.
    ///
    /// ## Why it matters
    /// Static tokens never expire, sit in plain text on every control-plane node, and can only
    /// be revoked by editing the file and restarting the API server. A token copied from a
    /// backup, a node disk or a leaked file keeps working for as long as the file lists it,
    /// often as a member of `system:masters`.
    ///
    /// ## Example
    /// ```yaml
    ///   - --token-auth-file=/etc/kubernetes/tokens.csv
    /// ```
    /// Use instead: client certificates, OIDC (`--oidc-issuer-url` or
    /// `--authentication-config`) or service account tokens, and remove the flag.
    pub struct ApiserverTokenAuthFile {
        code: "K428",
        name: "apiserver-token-auth-file",
        title: "API server accepts static tokens from a file",
        severity: Severity::High,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.2"],
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1078", "T1552.001"],
            Cwe: ["CWE-798"],
        ],
        equivalents: &[
            "kube-bench:1.2.2",
            "trivy:KCV-0002",
            "checkov:CKV_K8S_70",
            "kubescape:C-0114",
        ],
    }
}

impl Check<Objects> for ApiserverTokenAuthFile {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "token-auth-file",
            Want::Unset,
            "remove `--token-auth-file` and authenticate with certificates, OIDC or service account tokens",
        );
    }
}
