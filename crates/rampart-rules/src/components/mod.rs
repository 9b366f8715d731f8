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
mod authorization_always_allow;
mod authorizers_missing;
mod bind_address_not_loopback;
mod controller_service_account_key_missing;
mod encryption_at_rest_missing;
mod etcd_auto_tls;
mod etcd_client_cert_auth;
mod etcd_client_tls_missing;
mod etcd_peer_auto_tls;
mod etcd_peer_certificate_missing;
mod etcd_peer_client_cert_auth;
mod etcd_serving_certificate_missing;
mod kubelet_serving_rotation_disabled;
mod node_restriction_missing;
mod pod_gc_threshold;
mod profiling_enabled;
mod root_ca_missing;
mod service_account_key_missing;
mod service_account_lookup;
mod serving_certificate_missing;
mod shared_controller_credentials;
pub(crate) mod weak_tls_ciphers;

pub use always_admit::ApiserverAlwaysAdmit;
pub use anonymous_auth::ApiserverAnonymousAuth;
pub use audit_log_missing::ApiserverAuditLogMissing;
pub use audit_log_retention::ApiserverAuditLogRetention;
pub use authorization_always_allow::ApiserverAuthorizationAlwaysAllow;
pub use authorizers_missing::ApiserverAuthorizersMissing;
pub use bind_address_not_loopback::BindAddressNotLoopback;
pub use controller_service_account_key_missing::ControllerManagerServiceAccountKeyMissing;
pub use encryption_at_rest_missing::ApiserverEncryptionAtRestMissing;
pub use etcd_auto_tls::EtcdAutoTls;
pub use etcd_client_cert_auth::EtcdClientCertAuthDisabled;
pub use etcd_client_tls_missing::ApiserverEtcdTlsMissing;
pub use etcd_peer_auto_tls::EtcdPeerAutoTls;
pub use etcd_peer_certificate_missing::EtcdPeerCertificateMissing;
pub use etcd_peer_client_cert_auth::EtcdPeerClientCertAuthDisabled;
pub use etcd_serving_certificate_missing::EtcdServingCertificateMissing;
pub use kubelet_serving_rotation_disabled::KubeletServingRotationDisabled;
pub use node::*;
pub use node_restriction_missing::ApiserverNodeRestrictionMissing;
pub use pod_gc_threshold::ControllerManagerPodGcThreshold;
pub use profiling_enabled::ProfilingEnabled;
pub use root_ca_missing::ControllerManagerRootCaMissing;
pub use service_account_key_missing::ApiserverServiceAccountKeyMissing;
pub use service_account_lookup::ApiserverServiceAccountLookupDisabled;
pub use serving_certificate_missing::ApiserverServingCertificateMissing;
pub use shared_controller_credentials::ControllerManagerSharedCredentials;
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
