use crate::Rule;
use crate::Rule::{Dockerfile, Image, Node, Object};
use crate::components::*;
use crate::dockerfile::*;
use crate::images::*;
use crate::networking::*;
use crate::services::*;
use crate::workloads::*;

/// Every built-in rule, by code. A code is never reused: retired rules keep their code.
static REGISTRY: &[Rule] = &[
    Dockerfile(&RootUser),
    Dockerfile(&BaseImageLatest),
    Dockerfile(&BaseImageNotPinned),
    Dockerfile(&BaseImageRegistryNotAllowed),
    Dockerfile(&AddRemoteUrl),
    Dockerfile(&AddInsteadOfCopy),
    Dockerfile(&DownloadPipedToShell),
    Dockerfile(&SecretInEnvOrArg),
    Dockerfile(&SecretFileCopied),
    Dockerfile(&CredentialsInUrl),
    Dockerfile(&SudoUsed),
    Dockerfile(&AptUnpinned),
    Dockerfile(&ApkUnpinned),
    Dockerfile(&PipUnpinned),
    Dockerfile(&NpmUnpinned),
    Dockerfile(&GemUnpinned),
    Dockerfile(&YumUnpinned),
    Dockerfile(&AptListsKept),
    Dockerfile(&AptInstallRecommends),
    Dockerfile(&PipCacheKept),
    Dockerfile(&ApkCacheKept),
    Dockerfile(&YumCacheKept),
    Dockerfile(&PackageUpgrade),
    Dockerfile(&UpdateAlone),
    Dockerfile(&WorldWritableChmod),
    Dockerfile(&SshPortExposed),
    Dockerfile(&HealthcheckMissing),
    Dockerfile(&WorkdirRelative),
    Dockerfile(&MultipleCmdOrEntrypoint),
    Dockerfile(&ShellFormCommand),
    Dockerfile(&CopyContextWithoutDockerignore),
    Dockerfile(&AptWithoutYes),
    Dockerfile(&CdInsteadOfWorkdir),
    Dockerfile(&MaintainerDeprecated),
    Dockerfile(&FromPlatformFixed),
    Dockerfile(&TlsVerificationDisabled),
    Dockerfile(&PackageVerificationDisabled),
    Dockerfile(&InsecureDownload),
    Image(&ImageRunsAsRoot),
    Image(&ImageAdminPortExposed),
    Image(&ImageHealthcheckMissing),
    Image(&ImageSecretInConfig),
    Image(&ImageSetuidFile),
    Image(&ImageWorldWritable),
    Image(&ImageCredentialFile),
    Object(&PrivilegedContainer),
    Object(&HostNetwork),
    Object(&HostPid),
    Object(&HostIpc),
    Object(&CapabilitiesBeyondBaseline),
    Object(&HostPathVolume),
    Object(&HostPort),
    Object(&ApparmorUnconfined),
    Object(&SelinuxOptions),
    Object(&UnmaskedProcMount),
    Object(&SeccompUnconfined),
    Object(&UnsafeSysctl),
    Object(&WindowsHostProcess),
    Object(&HostProbeOrLifecycleHook),
    Object(&RestrictedVolumeType),
    Object(&PrivilegeEscalationAllowed),
    Object(&RunAsNonRootNotSet),
    Object(&RunAsRootUser),
    Object(&SeccompProfileMissing),
    Object(&CapabilitiesNotDropped),
    Object(&WritableRootFilesystem),
    Object(&LowRunAsUser),
    Object(&RunAsGroupRoot),
    Object(&CpuLimitMissing),
    Object(&MemoryLimitMissing),
    Object(&CpuRequestMissing),
    Object(&MemoryRequestMissing),
    Object(&ImageTagLatest),
    Object(&ImageNotPinned),
    Object(&ImageRegistryNotAllowed),
    Object(&ServiceAccountTokenAutomounted),
    Object(&DefaultServiceAccount),
    Object(&SecretInEnv),
    Object(&SensitiveHostPath),
    Object(&DangerousCapabilities),
    Object(&ShareProcessNamespace),
    Object(&BarePod),
    Object(&DefaultNamespace),
    Object(&EmptyDirNoSizeLimit),
    Object(&NetRawNotDropped),
    Object(&SecretAsEnv),
    Object(&ImagePullPolicyNotAlways),
    Object(&ImageUserFailsRunAsNonRoot),
    Object(&RunsAsImageRootUser),
    Object(&RbacWildcard),
    Object(&RbacReadSecrets),
    Object(&RbacCreateWorkloads),
    Object(&RbacExecIntoPods),
    Object(&RbacNodeProxy),
    Object(&RbacBindOrEscalate),
    Object(&RbacImpersonate),
    Object(&RbacCreateTokens),
    Object(&RbacApproveCertificates),
    Object(&RbacWriteWebhooks),
    Object(&RbacModifyNodes),
    Object(&RbacCreatePersistentVolumes),
    Object(&RbacSystemMasters),
    Object(&RbacPublicGrant),
    Object(&RbacDefaultAccountGrant),
    Object(&RbacWriteAwsAuth),
    Object(&NamespaceWithoutDefaultDenyIngress),
    Object(&NamespaceWithoutDefaultDenyEgress),
    Object(&WorkloadNotIsolated),
    Object(&NetworkPolicySelectsNothing),
    Object(&NetworkPolicyPeerMatchesNothing),
    Object(&NetworkPolicyOpenPeer),
    Object(&EgressToCloudMetadata),
    Object(&DatastorePortExposed),
    Object(&ServiceWithoutSourceRanges),
    Object(&IngressWithoutTls),
    Object(&NetworkPolicyOnHostNetworkPod),
    Object(&KubeSystemReachable),
    Object(&MeshPlaintextAccepted),
    Object(&WorkloadOutsideMesh),
    Object(&DestinationRuleTlsOverride),
    Object(&SensitiveWorkloadSharesNode),
    Object(&ApiserverAnonymousAuth),
    Object(&ApiserverAuthorizationAlwaysAllow),
    Object(&ApiserverAuthorizersMissing),
    Object(&ApiserverAlwaysAdmit),
    Object(&ApiserverNodeRestrictionMissing),
    Object(&ProfilingEnabled),
    Object(&ApiserverAuditLogMissing),
    Object(&ApiserverServiceAccountLookupDisabled),
    Object(&EtcdClientCertAuthDisabled),
    Object(&EtcdAutoTls),
    Object(&EtcdPeerClientCertAuthDisabled),
    Object(&EtcdPeerAutoTls),
    Object(&ControllerManagerSharedCredentials),
    Object(&BindAddressNotLoopback),
    Object(&ApiserverAuditLogRetention),
    Object(&ApiserverServingCertificateMissing),
    Object(&ApiserverEtcdTlsMissing),
    Object(&ApiserverServiceAccountKeyMissing),
    Object(&ApiserverEncryptionAtRestMissing),
    Object(&ApiserverWeakTlsCiphers),
    Object(&EtcdServingCertificateMissing),
    Object(&EtcdPeerCertificateMissing),
    Object(&ControllerManagerPodGcThreshold),
    Object(&ControllerManagerServiceAccountKeyMissing),
    Object(&ControllerManagerRootCaMissing),
    Object(&KubeletServingRotationDisabled),
    Object(&ApiserverRequestTimeout),
    Object(&ApiserverTokenAuthFile),
    Object(&ApiserverKubeletTlsMissing),
    Node(&KubeletAnonymousAuth),
    Node(&KubeletAuthorizationAlwaysAllow),
    Node(&KubeletClientCaMissing),
    Node(&KubeletReadOnlyPort),
    Node(&KubeletStreamingTimeoutDisabled),
    Node(&KubeletIptablesChainsDisabled),
    Node(&KubeletHostnameOverride),
    Node(&KubeletEventQpsZero),
    Node(&KubeletServingCertificateMissing),
    Node(&KubeletClientRotationDisabled),
    Node(&KubeletServingRotationGateOff),
    Node(&KubeletWeakTlsCiphers),
    Node(&KubeletPodPidsUnlimited),
    Node(&KubeletSeccompDefaultOff),
    Node(&KubeletKernelDefaultsUnprotected),
    Node(&StaticPodManifestPermissions),
    Node(&EtcdDataDirPermissions),
    Node(&KubeconfigPermissions),
    Node(&PkiPermissions),
    Node(&KubeletFilePermissions),
    Object(&ApiserverDenyExternalIpsMissing),
    Object(&ApiserverEventRateLimitMissing),
    Object(&ApiserverDefaultAdmissionDisabled),
    Object(&ApiserverClientCaMissing),
    Object(&ApiserverExtendedTokenExpiration),
    Object(&EncryptionSecretsPlaintext),
    Object(&EncryptionWeakProvider),
    Object(&EncryptionKmsV1),
    Object(&ApiserverAuditPolicyMissing),
    Object(&AuditLogsSecrets),
    Object(&AuditSensitiveUnlogged),
    Object(&AuditNoCatchAll),
    Object(&PodSecurityDefaultPrivileged),
    Object(&PodSecurityExemptions),
    Object(&KubeconfigSkipTlsVerify),
    Object(&KubeconfigPlainHttp),
    Object(&KubeconfigStaticCredentials),
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
    ("D102", "D103"),
    // "Runs as root, because of its image" is the definite form of "may run as root".
    ("K153", "K117"),
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
pub fn superseding(code: &str) -> impl Iterator<Item = Rule> + '_ {
    PRECEDENCE
        .iter()
        .filter(move |(_, general)| *general == code)
        .filter_map(|(specific, _)| find(specific))
}

/// All rules, in code order.
pub fn registry() -> &'static [Rule] {
    REGISTRY
}

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<Rule> {
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
