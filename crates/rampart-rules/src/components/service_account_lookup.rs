use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers with `--service-account-lookup=false` (the default is `true`).
    ///
    /// ## Why it matters
    /// With lookup on, the API server checks that the service account (and, for bound tokens,
    /// the pod or Secret) behind a token still exists before accepting it. With lookup off, a
    /// token stays valid until it expires — for legacy Secret-based tokens, forever — even after
    /// its service account is deleted to revoke it.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --service-account-lookup=false
    /// ```
    /// Use instead: leave the flag out, or set `--service-account-lookup=true`.
    pub struct ApiserverServiceAccountLookupDisabled {
        code: "K408",
        name: "apiserver-service-account-lookup-disabled",
        title: "API server accepts tokens of deleted service accounts",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.21"],
            Nsa: ["authentication-and-authorization"],
            Mitre: ["T1550.001"],
            Cwe: ["CWE-613"],
        ],
        equivalents: &[
            "kube-bench:1.2.21",
            "trivy:KCV-0024",
            "checkov:CKV_K8S_96",
            "kubescape:C-0135",
        ],
    }
}

impl Check<Objects> for ApiserverServiceAccountLookupDisabled {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "service-account-lookup",
            Want::Is("true"),
            "leave `--service-account-lookup` at `true` so that revoked tokens are refused",
        );
    }
}
