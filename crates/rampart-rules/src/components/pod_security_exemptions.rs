use rampart_core::{Concern, Layer, Severity, refs};

use super::linked::pod_security;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Exemptions in a PodSecurity admission plugin configuration: namespaces other than
    /// `kube-system`, and any user name or RuntimeClass.
    ///
    /// ## Why it matters
    /// An exemption switches every level off, whatever the namespace labels say. An exempt
    /// namespace admits privileged pods from anyone who may create pods there; an exempt user
    /// (a CI account, a controller's service account) can create privileged pods anywhere;
    /// an exempt RuntimeClass lets any pod that names it through. Each is a way to root on a
    /// node that stays out of sight of the namespace labels reviewers look at.
    ///
    /// ## Example
    /// ```yaml
    /// exemptions:
    ///   namespaces: [kube-system, monitoring]
    ///   usernames: [system:serviceaccount:ci:deployer]
    /// ```
    /// Use instead: label the namespaces that need privileged pods
    /// (`pod-security.kubernetes.io/enforce: privileged`) so the exception is visible and
    /// limited, and keep only `kube-system` exempt.
    /// ```yaml
    /// exemptions:
    ///   namespaces: [kube-system]
    /// ```
    pub struct PodSecurityExemptions {
        code: "K483",
        name: "pod-security-exemptions",
        title: "PodSecurity admission exempts namespaces, users or runtime classes",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["5.2.1"],
            Nsa: ["pod-security"],
            Mitre: ["T1611"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for PodSecurityExemptions {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some((config, readers)) = pod_security(target) else {
            return;
        };
        for exemption in &config.exemptions {
            let who = match exemption.list {
                "namespaces" if exemption.value == "kube-system" => continue,
                "namespaces" => "every pod in namespace",
                "usernames" => "every pod created by user",
                _ => "every pod that runs with RuntimeClass",
            };
            hits.push(Hit::new(
                &exemption.pointer,
                format!(
                    "{who} `{}` is exempt from Pod Security admission{readers}: remove the exemption and label the namespace that needs a lower level instead",
                    exemption.value
                ),
            ));
        }
    }
}
