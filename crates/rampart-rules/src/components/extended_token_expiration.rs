use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers that leave `--service-account-extend-token-expiration` at its
    /// default, `true`.
    ///
    /// ## Why it matters
    /// With it, the projected service account tokens the kubelet requests for pods are issued
    /// for a year instead of the hour they ask for (the API server only warns when an extended
    /// token is used after its hour). A token stolen from a pod's file system therefore keeps
    /// working for up to a year, as long as its pod exists.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    /// ```
    /// Use instead (after checking the warnings for clients that do not reload tokens):
    /// ```yaml
    ///   - --service-account-extend-token-expiration=false
    /// ```
    pub struct ApiserverExtendedTokenExpiration {
        code: "K474",
        name: "apiserver-extended-token-expiration",
        title: "API server extends service account tokens to a year",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.30"],
            Nsa: ["protecting-pod-service-account-tokens"],
            Mitre: ["T1528"],
            Cwe: ["CWE-613"],
        ],
        equivalents: &["kube-bench:1.2.30", "kubescape:C-0290"],
    }
}

impl Check<Objects> for ApiserverExtendedTokenExpiration {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "service-account-extend-token-expiration",
            Want::Is("false"),
            "set `--service-account-extend-token-expiration=false` so pod tokens expire when asked",
        );
    }
}
