use crate::Rule;
use crate::components::*;
use crate::services::*;
use crate::workloads::*;

/// Every built-in rule, by code. A code is never reused: retired rules keep their code.
static REGISTRY: &[&dyn Rule] = &[
    &PrivilegedContainer,
    &HostNetwork,
    &HostPid,
    &HostIpc,
    &CapabilitiesBeyondBaseline,
    &HostPathVolume,
    &HostPort,
    &ApparmorUnconfined,
    &SelinuxOptions,
    &UnmaskedProcMount,
    &SeccompUnconfined,
    &UnsafeSysctl,
    &WindowsHostProcess,
    &HostProbeOrLifecycleHook,
    &RestrictedVolumeType,
    &PrivilegeEscalationAllowed,
    &RunAsNonRootNotSet,
    &RunAsRootUser,
    &SeccompProfileMissing,
    &CapabilitiesNotDropped,
    &WritableRootFilesystem,
    &LowRunAsUser,
    &RunAsGroupRoot,
    &CpuLimitMissing,
    &MemoryLimitMissing,
    &CpuRequestMissing,
    &MemoryRequestMissing,
    &ImageTagLatest,
    &ImageNotPinned,
    &ImageRegistryNotAllowed,
    &ServiceAccountTokenAutomounted,
    &DefaultServiceAccount,
    &SecretInEnv,
    &SensitiveHostPath,
    &DangerousCapabilities,
    &ShareProcessNamespace,
    &BarePod,
    &DefaultNamespace,
    &EmptyDirNoSizeLimit,
    &NetRawNotDropped,
    &SecretAsEnv,
    &ImagePullPolicyNotAlways,
    &RbacWildcard,
    &RbacReadSecrets,
    &RbacCreateWorkloads,
    &RbacExecIntoPods,
    &RbacNodeProxy,
    &RbacBindOrEscalate,
    &RbacImpersonate,
    &RbacCreateTokens,
    &RbacApproveCertificates,
    &RbacWriteWebhooks,
    &RbacModifyNodes,
    &RbacCreatePersistentVolumes,
    &RbacSystemMasters,
    &RbacPublicGrant,
    &RbacDefaultAccountGrant,
    &RbacWriteAwsAuth,
    &ApiserverAnonymousAuth,
    &ApiserverAuthorizationAlwaysAllow,
    &ApiserverAuthorizersMissing,
    &ApiserverAlwaysAdmit,
    &ApiserverNodeRestrictionMissing,
    &ProfilingEnabled,
    &ApiserverAuditLogMissing,
    &ApiserverServiceAccountLookupDisabled,
    &EtcdClientCertAuthDisabled,
    &EtcdAutoTls,
    &EtcdPeerClientCertAuthDisabled,
    &EtcdPeerAutoTls,
    &ControllerManagerSharedCredentials,
    &BindAddressNotLoopback,
    &ApiserverAuditLogRetention,
    &ApiserverServingCertificateMissing,
    &ApiserverEtcdTlsMissing,
    &ApiserverServiceAccountKeyMissing,
    &ApiserverEncryptionAtRestMissing,
    &ApiserverWeakTlsCiphers,
    &EtcdServingCertificateMissing,
    &EtcdPeerCertificateMissing,
    &ControllerManagerPodGcThreshold,
    &ControllerManagerServiceAccountKeyMissing,
    &ControllerManagerRootCaMissing,
    &KubeletServingRotationDisabled,
];

/// Pairs of (specific, general) rules that can report the same field. Where both run and
/// both hit it, only the specific rule's finding is kept (see the engine).
pub(crate) static PRECEDENCE: &[(&str, &str)] = &[
    // A runtime socket or `/etc` is a hostPath, ranked and explained.
    ("K143", "K106"),
    // SYS_ADMIN is a capability beyond the default set, with what it allows.
    ("K144", "K105"),
    // A missing `drop: [ALL]` that keeps NET_RAW is told as the NET_RAW problem it causes.
    ("K149", "K120"),
    // `latest` is also unpinned; one fix (a digest) settles both.
    ("K137", "K138"),
];

/// Whether `pattern` (a code, a prefix such as `K1`, or `ALL`) names at least one rule. Every
/// place that takes codes from users checks this, so a typo never silently selects or
/// suppresses nothing.
pub fn names_a_rule(pattern: &str) -> bool {
    pattern == "ALL"
        || REGISTRY
            .iter()
            .any(|rule| rule.meta().code.starts_with(pattern))
}

/// The rules that take precedence over `code` where both hit the same field.
pub fn superseding(code: &str) -> impl Iterator<Item = &'static dyn Rule> + '_ {
    PRECEDENCE
        .iter()
        .filter(move |(_, general)| *general == code)
        .filter_map(|(specific, _)| find(specific))
}

/// All rules, in code order.
pub fn registry() -> &'static [&'static dyn Rule] {
    REGISTRY
}

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<&'static dyn Rule> {
    REGISTRY
        .iter()
        .copied()
        .find(|rule| rule.meta().code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use rampart_core::Framework;

    use super::*;

    #[test]
    fn precedence_names_registered_rules() {
        for (specific, general) in PRECEDENCE {
            assert!(
                find(specific).is_some() && find(general).is_some(),
                "{specific} > {general}"
            );
        }
    }

    #[test]
    fn codes_and_names_are_unique_and_ordered() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in REGISTRY {
            let meta = rule.meta();
            assert!(codes.insert(meta.code), "duplicate code {}", meta.code);
            assert!(names.insert(meta.name), "duplicate name {}", meta.name);
        }
        let listed: Vec<_> = REGISTRY.iter().map(|r| r.meta().code).collect();
        let mut sorted = listed.clone();
        sorted.sort_by_key(|code| (&code[..1], code[1..].parse::<u32>().unwrap_or(0)));
        assert_eq!(listed, sorted, "keep the registry in code order");
    }

    #[test]
    fn every_reference_has_a_title() {
        for rule in REGISTRY {
            let meta = rule.meta();
            for framework in Framework::ALL {
                for id in meta.references.ids(framework) {
                    assert!(
                        framework.title(id).is_some(),
                        "{}: {} id `{id}` has no title in rampart_core's framework tables",
                        meta.code,
                        framework.key()
                    );
                }
            }
        }
    }

    #[test]
    fn every_rule_is_documented_with_references_and_equivalents() {
        for rule in REGISTRY {
            let meta = rule.meta();
            assert!(
                !meta.doc.contains("## References"),
                "{}: the References section is generated from `references`; remove it from the doc comment",
                meta.code
            );
            for section in ["What it checks", "Why it matters", "Example", "References"] {
                let text = meta.doc_section(section).unwrap_or_default();
                assert!(
                    !text.is_empty(),
                    "{} lacks a `## {section}` section",
                    meta.code
                );
            }
            let referenced = Framework::ALL
                .iter()
                .any(|framework| !meta.references.ids(*framework).is_empty());
            assert!(referenced, "{} has no framework references", meta.code);
            const TOOLS: [&str; 7] = [
                "trivy",
                "checkov",
                "kubescape",
                "kube-linter",
                "polaris",
                "kube-bench",
                "hadolint",
            ];
            for equivalent in meta.equivalents {
                let tool = equivalent
                    .split_once(':')
                    .map(|(tool, _)| tool)
                    .unwrap_or("");
                assert!(
                    TOOLS.contains(&tool),
                    "{}: equivalent `{equivalent}` is not `tool:id`",
                    meta.code
                );
            }
        }
    }
}
