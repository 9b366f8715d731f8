//! Rules about control-plane components (`K4xx`): the flags kube-apiserver,
//! kube-controller-manager, kube-scheduler and etcd run with, resolved by
//! [`rampart_k8s::components`] against each binary's defaults, judged against the CIS
//! Kubernetes Benchmark.

mod flags;
mod node;

mod always_admit;
mod anonymous_auth;
mod audit_log_missing;
mod audit_log_retention;
mod audit_logs_secrets;
mod audit_no_catch_all;
mod audit_policy_missing;
mod audit_sensitive_unlogged;
mod authorization_always_allow;
mod authorizers_missing;
mod bind_address_not_loopback;
mod client_ca_missing;
mod controller_service_account_key_missing;
mod default_admission_disabled;
mod deny_external_ips_missing;
mod encryption_at_rest_missing;
mod encryption_kms_v1;
mod encryption_plaintext;
mod encryption_weak_provider;
mod etcd_auto_tls;
mod etcd_client_cert_auth;
mod etcd_client_tls_missing;
mod etcd_peer_auto_tls;
mod etcd_peer_certificate_missing;
mod etcd_peer_client_cert_auth;
mod etcd_serving_certificate_missing;
mod event_rate_limit_missing;
mod extended_token_expiration;
mod kubeconfig_plain_http;
mod kubeconfig_skip_tls_verify;
mod kubeconfig_static_credentials;
mod kubelet_serving_rotation_disabled;
mod kubelet_tls_missing;
mod linked;
mod node_restriction_missing;
mod pod_gc_threshold;
mod pod_security_default_privileged;
mod pod_security_exemptions;
mod profiling_enabled;
mod request_timeout;
mod root_ca_missing;
mod service_account_key_missing;
mod service_account_lookup;
mod serving_certificate_missing;
mod shared_controller_credentials;
mod token_auth_file;
pub(crate) mod weak_tls_ciphers;

pub use always_admit::ApiserverAlwaysAdmit;
pub use anonymous_auth::ApiserverAnonymousAuth;
pub use audit_log_missing::ApiserverAuditLogMissing;
pub use audit_log_retention::ApiserverAuditLogRetention;
pub use audit_logs_secrets::AuditLogsSecrets;
pub use audit_no_catch_all::AuditNoCatchAll;
pub use audit_policy_missing::ApiserverAuditPolicyMissing;
pub use audit_sensitive_unlogged::AuditSensitiveUnlogged;
pub use authorization_always_allow::ApiserverAuthorizationAlwaysAllow;
pub use authorizers_missing::ApiserverAuthorizersMissing;
pub use bind_address_not_loopback::BindAddressNotLoopback;
pub use client_ca_missing::ApiserverClientCaMissing;
pub use controller_service_account_key_missing::ControllerManagerServiceAccountKeyMissing;
pub use default_admission_disabled::ApiserverDefaultAdmissionDisabled;
pub use deny_external_ips_missing::ApiserverDenyExternalIpsMissing;
pub use encryption_at_rest_missing::ApiserverEncryptionAtRestMissing;
pub use encryption_kms_v1::EncryptionKmsV1;
pub use encryption_plaintext::EncryptionSecretsPlaintext;
pub use encryption_weak_provider::EncryptionWeakProvider;
pub use etcd_auto_tls::EtcdAutoTls;
pub use etcd_client_cert_auth::EtcdClientCertAuthDisabled;
pub use etcd_client_tls_missing::ApiserverEtcdTlsMissing;
pub use etcd_peer_auto_tls::EtcdPeerAutoTls;
pub use etcd_peer_certificate_missing::EtcdPeerCertificateMissing;
pub use etcd_peer_client_cert_auth::EtcdPeerClientCertAuthDisabled;
pub use etcd_serving_certificate_missing::EtcdServingCertificateMissing;
pub use event_rate_limit_missing::ApiserverEventRateLimitMissing;
pub use extended_token_expiration::ApiserverExtendedTokenExpiration;
pub use kubeconfig_plain_http::KubeconfigPlainHttp;
pub use kubeconfig_skip_tls_verify::KubeconfigSkipTlsVerify;
pub use kubeconfig_static_credentials::KubeconfigStaticCredentials;
pub use kubelet_serving_rotation_disabled::KubeletServingRotationDisabled;
pub use kubelet_tls_missing::ApiserverKubeletTlsMissing;
pub use node::*;
pub use node_restriction_missing::ApiserverNodeRestrictionMissing;
pub use pod_gc_threshold::ControllerManagerPodGcThreshold;
pub use pod_security_default_privileged::PodSecurityDefaultPrivileged;
pub use pod_security_exemptions::PodSecurityExemptions;
pub use profiling_enabled::ProfilingEnabled;
pub use request_timeout::ApiserverRequestTimeout;
pub use root_ca_missing::ControllerManagerRootCaMissing;
pub use service_account_key_missing::ApiserverServiceAccountKeyMissing;
pub use service_account_lookup::ApiserverServiceAccountLookupDisabled;
pub use serving_certificate_missing::ApiserverServingCertificateMissing;
pub use shared_controller_credentials::ControllerManagerSharedCredentials;
pub use token_auth_file::ApiserverTokenAuthFile;
pub use weak_tls_ciphers::ApiserverWeakTlsCiphers;

use rampart_k8s::components::{ComponentContainer, ListItem};

/// The admission plugins an API server's command line turns on, for [`flags::check_list`].
fn admission_plugins(container: &ComponentContainer<'_>) -> Option<Vec<ListItem>> {
    Some(container.enabled_admission_plugins())
}

/// An API server's authorization modes, for [`flags::check_list`].
fn authorization_modes(container: &ComponentContainer<'_>) -> Option<Vec<ListItem>> {
    container.authorization_modes()
}
