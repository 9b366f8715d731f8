use std::any::{Any, TypeId};

use rampart_core::{Diagnostic, Finding, RuleMeta, Texts};

use crate::checking::PRECEDENCE;
use crate::cloud::*;
use crate::code::*;
use crate::components::*;
use crate::dependencies::*;
use crate::dockerfile::*;
use crate::images::*;
use crate::networking::*;
use crate::secrets::*;
use crate::services::*;
use crate::workloads::*;
use crate::{
    Code, Dockerfiles, IamHolders, Images, Inputs, Kind, Nodes, Objects, Packages, Resources,
    RuleOf, RuleOptions, TextFiles,
};

/// A registered rule of any kind. The registry holds every kind in one table; the engine
/// runs each kind present among the selected rules with that kind's rules (see
/// [`Rule::of`]), so that a kind needs no branch anywhere.
#[derive(Clone, Copy)]
pub struct Rule(&'static dyn Registered);

impl Rule {
    pub fn meta(self) -> &'static RuleMeta {
        self.0.meta()
    }

    /// The rule, when it reads inputs of kind `K`.
    pub fn of<K: Kind>(self) -> Option<&'static dyn RuleOf<K>> {
        self.0
            .as_any()
            .downcast_ref::<&'static dyn RuleOf<K>>()
            .copied()
    }

    /// Whether the rule reads the content of the file at `path` of its input.
    pub fn reads_content(self, path: &str) -> bool {
        self.0.reads_content(path)
    }

    /// The kind of input the rule reads.
    pub(crate) fn kind(self) -> TypeId {
        self.0.kind()
    }

    /// Runs the rules among `rules` of this rule's kind over that kind's inputs.
    pub(crate) fn run_kind(
        self,
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[Rule],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        self.0.run_kind(inputs, options, rules, texts)
    }
}

/// A rule with its kind erased: implemented by `&'static dyn RuleOf<K>` for every kind.
trait Registered: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn as_any(&self) -> &(dyn Any + Send + Sync);
    fn reads_content(&self, path: &str) -> bool;
    fn kind(&self) -> TypeId;
    fn run_kind(
        &self,
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[Rule],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>);
}

impl<K: Kind> Registered for &'static dyn RuleOf<K> {
    fn meta(&self) -> &'static RuleMeta {
        (**self).meta()
    }

    fn as_any(&self) -> &(dyn Any + Send + Sync) {
        self
    }

    fn reads_content(&self, path: &str) -> bool {
        (**self).reads_content(path)
    }

    fn kind(&self) -> TypeId {
        TypeId::of::<K>()
    }

    fn run_kind(
        &self,
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[Rule],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        let rules: Vec<_> = rules.iter().filter_map(|rule| rule.of::<K>()).collect();
        K::run(inputs, options, &rules, texts)
    }
}

/// A registry entry: `rule!(Objects, PrivilegedContainer)` reads objects.
macro_rules! rule {
    ($kind:ty, $rule:expr) => {
        Rule(&(&$rule as &'static dyn RuleOf<$kind>))
    };
}

/// Every built-in rule, by code. A code is never reused: retired rules keep their code.
static REGISTRY: &[Rule] = &[
    rule!(Code, SqlInjection),
    rule!(Code, CrossSiteScripting),
    rule!(Code, CommandInjection),
    rule!(Code, CodeInjection),
    rule!(Code, PathTraversal),
    rule!(Code, ServerSideRequestForgery),
    rule!(Code, OpenRedirect),
    rule!(Code, InsecureDeserialization),
    rule!(Code, XmlExternalEntities),
    rule!(Code, XpathInjection),
    rule!(Code, LdapInjection),
    rule!(Code, NosqlInjection),
    rule!(Code, SessionTrustBoundary),
    rule!(Code, DjangoCsrfDisabled),
    rule!(Code, FlaskCsrfMissing),
    rule!(Code, CookieWithoutSameSite),
    rule!(Code, CookieWithoutSecure),
    rule!(Code, CookieWithoutHttpOnly),
    rule!(Code, DebugMode),
    rule!(Code, WeakPasswordHash),
    rule!(Code, WeakCipher),
    rule!(Code, PredictableRandom),
    rule!(IamHolders, IamFullAdmin),
    rule!(IamHolders, IamWriteAccess),
    rule!(IamHolders, IamSelfEscalation),
    rule!(IamHolders, IamCredentialAccess),
    rule!(IamHolders, IamPassRoleEscalation),
    rule!(IamHolders, IamComputeTakeover),
    rule!(IamHolders, IamTrustAnyPrincipal),
    rule!(IamHolders, IamTrustWithoutExternalId),
    rule!(IamHolders, ResourcePolicyPublic),
    rule!(Resources, LambdaPermissionPublic),
    rule!(Resources, GcpPrimitiveRole),
    rule!(Resources, GcpPublicMember),
    rule!(Resources, GcpServiceAccountImpersonation),
    rule!(Resources, GcpServiceAccountKey),
    rule!(Resources, AzurePrivilegedRoleAssignment),
    rule!(Resources, AzureCustomRoleWildcard),
    rule!(Resources, KmsKeyRotationDisabled),
    rule!(Resources, S3NotEncryptedWithCmk),
    rule!(Resources, EfsUnencrypted),
    rule!(Resources, DynamodbNotCmk),
    rule!(Resources, SnsTopicUnencrypted),
    rule!(Resources, LogGroupNotCmk),
    rule!(Resources, SecretNotCmk),
    rule!(Resources, EcrNotCmk),
    rule!(Resources, GcpKmsRotation),
    rule!(Resources, EbsUnencrypted),
    rule!(Resources, S3PublicAccessBlock),
    rule!(Resources, S3PublicAcl),
    rule!(Resources, S3VersioningDisabled),
    rule!(Resources, S3AccessLoggingDisabled),
    rule!(Resources, S3TlsNotRequired),
    rule!(Resources, GcsUniformAccess),
    rule!(Resources, AzureStorageHttp),
    rule!(Resources, AzureStorageTls),
    rule!(Resources, AzureStoragePublicBlobs),
    rule!(Resources, EcrScanOnPush),
    rule!(Resources, EcrMutableTags),
    rule!(Resources, KeyVaultPurgeProtection),
    rule!(Resources, AdminPortOpenToInternet),
    rule!(Resources, SubnetPublicIp),
    rule!(Resources, DataPortOpenToInternet),
    rule!(Resources, AllPortsOpenToInternet),
    rule!(Resources, DefaultSecurityGroupOpen),
    rule!(Resources, LoadBalancerHttp),
    rule!(Resources, RdsPubliclyAccessible),
    rule!(Resources, RdsStorageUnencrypted),
    rule!(Resources, RdsDeletionProtection),
    rule!(Resources, RdsIamAuth),
    rule!(Resources, RdsMinorUpgrades),
    rule!(Resources, RdsBackupsDisabled),
    rule!(Resources, ElasticacheAtRest),
    rule!(Resources, ElasticacheInTransit),
    rule!(Resources, CloudSqlTls),
    rule!(Resources, CloudSqlOpenToInternet),
    rule!(Resources, EksEndpointOpenToInternet),
    rule!(Resources, EksPublicEndpoint),
    rule!(Resources, EksSecretsNotEncrypted),
    rule!(Resources, EksControlPlaneLogging),
    rule!(Resources, EksNodeGroupSshOpen),
    rule!(Resources, GkePrivateNodes),
    rule!(Resources, GkePublicEndpoint),
    rule!(Resources, GkeAuthorizedNetworks),
    rule!(Resources, GkeLegacyAbac),
    rule!(Resources, GkeLegacyAuthentication),
    rule!(Resources, GkeNetworkPolicy),
    rule!(Resources, GkeShieldedNodes),
    rule!(Resources, GkeWorkloadIdentity),
    rule!(Resources, GkeDefaultServiceAccount),
    rule!(Resources, GkeNodeMetadataExposed),
    rule!(Resources, GkeReleaseChannel),
    rule!(Resources, GkeSecretsNotEncrypted),
    rule!(Resources, GkeNodeAutoUpgrade),
    rule!(Resources, GkeNodeAutoRepair),
    rule!(Resources, AksEntraId),
    rule!(Resources, AksLocalAccounts),
    rule!(Resources, AksAzureRbac),
    rule!(Resources, AksNetworkPolicy),
    rule!(Resources, AksApiExposed),
    rule!(Resources, AksRbacDisabled),
    rule!(Resources, AksServicePrincipal),
    rule!(Resources, AksSecretsNotEncrypted),
    rule!(Resources, CloudtrailSingleRegion),
    rule!(Resources, CloudtrailLogValidation),
    rule!(Resources, CloudtrailNotEncrypted),
    rule!(Resources, GcpSubnetFlowLogs),
    rule!(Resources, GuarddutyDisabled),
    rule!(Resources, VpcFlowLogsMissing),
    rule!(Resources, Imdsv1Allowed),
    rule!(Resources, ImdsHopLimit),
    rule!(Resources, InstancePublicIp),
    rule!(Resources, GcpSerialPort),
    rule!(Resources, GcpProjectSshKeys),
    rule!(Resources, GcpIpForwarding),
    rule!(Resources, GcpInstancePublicIp),
    rule!(Resources, GcpDefaultServiceAccount),
    rule!(Dockerfiles, RootUser),
    rule!(Dockerfiles, BaseImageLatest),
    rule!(Dockerfiles, BaseImageNotPinned),
    rule!(Dockerfiles, BaseImageRegistryNotAllowed),
    rule!(Dockerfiles, AddRemoteUrl),
    rule!(Dockerfiles, AddInsteadOfCopy),
    rule!(Dockerfiles, DownloadPipedToShell),
    rule!(Dockerfiles, SecretInEnvOrArg),
    rule!(Dockerfiles, SecretFileCopied),
    rule!(Dockerfiles, CredentialsInUrl),
    rule!(Dockerfiles, SudoUsed),
    rule!(Dockerfiles, AptUnpinned),
    rule!(Dockerfiles, ApkUnpinned),
    rule!(Dockerfiles, PipUnpinned),
    rule!(Dockerfiles, NpmUnpinned),
    rule!(Dockerfiles, GemUnpinned),
    rule!(Dockerfiles, YumUnpinned),
    rule!(Dockerfiles, AptListsKept),
    rule!(Dockerfiles, AptInstallRecommends),
    rule!(Dockerfiles, PipCacheKept),
    rule!(Dockerfiles, ApkCacheKept),
    rule!(Dockerfiles, YumCacheKept),
    rule!(Dockerfiles, PackageUpgrade),
    rule!(Dockerfiles, UpdateAlone),
    rule!(Dockerfiles, WorldWritableChmod),
    rule!(Dockerfiles, SshPortExposed),
    rule!(Dockerfiles, HealthcheckMissing),
    rule!(Dockerfiles, WorkdirRelative),
    rule!(Dockerfiles, MultipleCmdOrEntrypoint),
    rule!(Dockerfiles, ShellFormCommand),
    rule!(Dockerfiles, CopyContextWithoutDockerignore),
    rule!(Dockerfiles, AptWithoutYes),
    rule!(Dockerfiles, CdInsteadOfWorkdir),
    rule!(Dockerfiles, MaintainerDeprecated),
    rule!(Dockerfiles, FromPlatformFixed),
    rule!(Dockerfiles, TlsVerificationDisabled),
    rule!(Dockerfiles, PackageVerificationDisabled),
    rule!(Dockerfiles, InsecureDownload),
    rule!(Images, ImageRunsAsRoot),
    rule!(Images, ImageAdminPortExposed),
    rule!(Images, ImageHealthcheckMissing),
    rule!(Images, ImageSecretInConfig),
    rule!(Images, ImageSetuidFile),
    rule!(Images, ImageWorldWritable),
    rule!(Images, ImageCredentialFile),
    rule!(Objects, PrivilegedContainer),
    rule!(Objects, HostNetwork),
    rule!(Objects, HostPid),
    rule!(Objects, HostIpc),
    rule!(Objects, CapabilitiesBeyondBaseline),
    rule!(Objects, HostPathVolume),
    rule!(Objects, HostPort),
    rule!(Objects, ApparmorUnconfined),
    rule!(Objects, SelinuxOptions),
    rule!(Objects, UnmaskedProcMount),
    rule!(Objects, SeccompUnconfined),
    rule!(Objects, UnsafeSysctl),
    rule!(Objects, WindowsHostProcess),
    rule!(Objects, HostProbeOrLifecycleHook),
    rule!(Objects, RestrictedVolumeType),
    rule!(Objects, PrivilegeEscalationAllowed),
    rule!(Objects, RunAsNonRootNotSet),
    rule!(Objects, RunAsRootUser),
    rule!(Objects, SeccompProfileMissing),
    rule!(Objects, CapabilitiesNotDropped),
    rule!(Objects, WritableRootFilesystem),
    rule!(Objects, LowRunAsUser),
    rule!(Objects, RunAsGroupRoot),
    rule!(Objects, CpuLimitMissing),
    rule!(Objects, MemoryLimitMissing),
    rule!(Objects, CpuRequestMissing),
    rule!(Objects, MemoryRequestMissing),
    rule!(Objects, ImageTagLatest),
    rule!(Objects, ImageNotPinned),
    rule!(Objects, ImageRegistryNotAllowed),
    rule!(Objects, ServiceAccountTokenAutomounted),
    rule!(Objects, DefaultServiceAccount),
    rule!(Objects, SecretInEnv),
    rule!(Objects, SensitiveHostPath),
    rule!(Objects, DangerousCapabilities),
    rule!(Objects, ShareProcessNamespace),
    rule!(Objects, BarePod),
    rule!(Objects, DefaultNamespace),
    rule!(Objects, EmptyDirNoSizeLimit),
    rule!(Objects, NetRawNotDropped),
    rule!(Objects, SecretAsEnv),
    rule!(Objects, ImagePullPolicyNotAlways),
    rule!(Objects, ImageUserFailsRunAsNonRoot),
    rule!(Objects, RunsAsImageRootUser),
    rule!(Objects, RbacWildcard),
    rule!(Objects, RbacReadSecrets),
    rule!(Objects, RbacCreateWorkloads),
    rule!(Objects, RbacExecIntoPods),
    rule!(Objects, RbacNodeProxy),
    rule!(Objects, RbacBindOrEscalate),
    rule!(Objects, RbacImpersonate),
    rule!(Objects, RbacCreateTokens),
    rule!(Objects, RbacApproveCertificates),
    rule!(Objects, RbacWriteWebhooks),
    rule!(Objects, RbacModifyNodes),
    rule!(Objects, RbacCreatePersistentVolumes),
    rule!(Objects, RbacSystemMasters),
    rule!(Objects, RbacPublicGrant),
    rule!(Objects, RbacDefaultAccountGrant),
    rule!(Objects, RbacWriteAwsAuth),
    rule!(Objects, NamespaceWithoutDefaultDenyIngress),
    rule!(Objects, NamespaceWithoutDefaultDenyEgress),
    rule!(Objects, WorkloadNotIsolated),
    rule!(Objects, NetworkPolicySelectsNothing),
    rule!(Objects, NetworkPolicyPeerMatchesNothing),
    rule!(Objects, NetworkPolicyOpenPeer),
    rule!(Objects, EgressToCloudMetadata),
    rule!(Objects, DatastorePortExposed),
    rule!(Objects, ServiceWithoutSourceRanges),
    rule!(Objects, IngressWithoutTls),
    rule!(Objects, NetworkPolicyOnHostNetworkPod),
    rule!(Objects, KubeSystemReachable),
    rule!(Objects, MeshPlaintextAccepted),
    rule!(Objects, WorkloadOutsideMesh),
    rule!(Objects, DestinationRuleTlsOverride),
    rule!(Objects, SensitiveWorkloadSharesNode),
    rule!(Objects, ApiserverAnonymousAuth),
    rule!(Objects, ApiserverAuthorizationAlwaysAllow),
    rule!(Objects, ApiserverAuthorizersMissing),
    rule!(Objects, ApiserverAlwaysAdmit),
    rule!(Objects, ApiserverNodeRestrictionMissing),
    rule!(Objects, ProfilingEnabled),
    rule!(Objects, ApiserverAuditLogMissing),
    rule!(Objects, ApiserverServiceAccountLookupDisabled),
    rule!(Objects, EtcdClientCertAuthDisabled),
    rule!(Objects, EtcdAutoTls),
    rule!(Objects, EtcdPeerClientCertAuthDisabled),
    rule!(Objects, EtcdPeerAutoTls),
    rule!(Objects, ControllerManagerSharedCredentials),
    rule!(Objects, BindAddressNotLoopback),
    rule!(Objects, ApiserverAuditLogRetention),
    rule!(Objects, ApiserverServingCertificateMissing),
    rule!(Objects, ApiserverEtcdTlsMissing),
    rule!(Objects, ApiserverServiceAccountKeyMissing),
    rule!(Objects, ApiserverEncryptionAtRestMissing),
    rule!(Objects, ApiserverWeakTlsCiphers),
    rule!(Objects, EtcdServingCertificateMissing),
    rule!(Objects, EtcdPeerCertificateMissing),
    rule!(Objects, ControllerManagerPodGcThreshold),
    rule!(Objects, ControllerManagerServiceAccountKeyMissing),
    rule!(Objects, ControllerManagerRootCaMissing),
    rule!(Objects, KubeletServingRotationDisabled),
    rule!(Objects, ApiserverRequestTimeout),
    rule!(Objects, ApiserverTokenAuthFile),
    rule!(Objects, ApiserverKubeletTlsMissing),
    rule!(Nodes, KubeletAnonymousAuth),
    rule!(Nodes, KubeletAuthorizationAlwaysAllow),
    rule!(Nodes, KubeletClientCaMissing),
    rule!(Nodes, KubeletReadOnlyPort),
    rule!(Nodes, KubeletStreamingTimeoutDisabled),
    rule!(Nodes, KubeletIptablesChainsDisabled),
    rule!(Nodes, KubeletHostnameOverride),
    rule!(Nodes, KubeletEventQpsZero),
    rule!(Nodes, KubeletServingCertificateMissing),
    rule!(Nodes, KubeletClientRotationDisabled),
    rule!(Nodes, KubeletServingRotationGateOff),
    rule!(Nodes, KubeletWeakTlsCiphers),
    rule!(Nodes, KubeletPodPidsUnlimited),
    rule!(Nodes, KubeletSeccompDefaultOff),
    rule!(Nodes, KubeletKernelDefaultsUnprotected),
    rule!(Nodes, StaticPodManifestPermissions),
    rule!(Nodes, EtcdDataDirPermissions),
    rule!(Nodes, KubeconfigPermissions),
    rule!(Nodes, PkiPermissions),
    rule!(Nodes, KubeletFilePermissions),
    rule!(Objects, ApiserverDenyExternalIpsMissing),
    rule!(Objects, ApiserverEventRateLimitMissing),
    rule!(Objects, ApiserverDefaultAdmissionDisabled),
    rule!(Objects, ApiserverClientCaMissing),
    rule!(Objects, ApiserverExtendedTokenExpiration),
    rule!(Objects, EncryptionSecretsPlaintext),
    rule!(Objects, EncryptionWeakProvider),
    rule!(Objects, EncryptionKmsV1),
    rule!(Objects, ApiserverAuditPolicyMissing),
    rule!(Objects, AuditLogsSecrets),
    rule!(Objects, AuditSensitiveUnlogged),
    rule!(Objects, AuditNoCatchAll),
    rule!(Objects, PodSecurityDefaultPrivileged),
    rule!(Objects, PodSecurityExemptions),
    rule!(Objects, KubeconfigSkipTlsVerify),
    rule!(Objects, KubeconfigPlainHttp),
    rule!(Objects, KubeconfigStaticCredentials),
    rule!(TextFiles, SecretInFile),
    rule!(TextFiles, PrivateKeyInFile),
    rule!(TextFiles, PasswordInFile),
    rule!(Objects, SecretInConfigMap),
    rule!(Objects, PlaintextSecret),
    rule!(Objects, SecretInObject),
    rule!(Packages, VulnerablePackage),
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
            assert!(
                !meta.references.is_empty(),
                "{} has no framework references",
                meta.code
            );
            const TOOLS: [&str; 14] = [
                "bandit",
                "semgrep",
                "ruff",
                "codeql",
                "tfsec",
                "trivy",
                "checkov",
                "kubescape",
                "kube-linter",
                "polaris",
                "kube-bench",
                "hadolint",
                "gitleaks",
                "detect-secrets",
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
