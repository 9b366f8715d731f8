//! Rules about a node (`K430`–`K469`): the kubelet's effective configuration, resolved by
//! [`rampart_k8s::node`] from its command line, configuration file, drop-ins and defaults,
//! and the modes and owners of the files the CIS Kubernetes Benchmark names.

mod file_modes;
mod kubelet;

mod etcd_data_dir_permissions;
mod kubeconfig_permissions;
mod kubelet_anonymous_auth;
mod kubelet_authorization_always_allow;
mod kubelet_client_ca_missing;
mod kubelet_client_rotation_disabled;
mod kubelet_event_qps_zero;
mod kubelet_file_permissions;
mod kubelet_hostname_override;
mod kubelet_iptables_chains_disabled;
mod kubelet_kernel_defaults_unprotected;
mod kubelet_pod_pids_unlimited;
mod kubelet_read_only_port;
mod kubelet_seccomp_default_off;
mod kubelet_serving_certificate_missing;
mod kubelet_serving_rotation_gate_off;
mod kubelet_streaming_timeout_disabled;
mod kubelet_weak_tls_ciphers;
mod pki_permissions;
mod static_pod_manifest_permissions;

pub use etcd_data_dir_permissions::EtcdDataDirPermissions;
pub use kubeconfig_permissions::KubeconfigPermissions;
pub use kubelet_anonymous_auth::KubeletAnonymousAuth;
pub use kubelet_authorization_always_allow::KubeletAuthorizationAlwaysAllow;
pub use kubelet_client_ca_missing::KubeletClientCaMissing;
pub use kubelet_client_rotation_disabled::KubeletClientRotationDisabled;
pub use kubelet_event_qps_zero::KubeletEventQpsZero;
pub use kubelet_file_permissions::KubeletFilePermissions;
pub use kubelet_hostname_override::KubeletHostnameOverride;
pub use kubelet_iptables_chains_disabled::KubeletIptablesChainsDisabled;
pub use kubelet_kernel_defaults_unprotected::KubeletKernelDefaultsUnprotected;
pub use kubelet_pod_pids_unlimited::KubeletPodPidsUnlimited;
pub use kubelet_read_only_port::KubeletReadOnlyPort;
pub use kubelet_seccomp_default_off::KubeletSeccompDefaultOff;
pub use kubelet_serving_certificate_missing::KubeletServingCertificateMissing;
pub use kubelet_serving_rotation_gate_off::KubeletServingRotationGateOff;
pub use kubelet_streaming_timeout_disabled::KubeletStreamingTimeoutDisabled;
pub use kubelet_weak_tls_ciphers::KubeletWeakTlsCiphers;
pub use pki_permissions::PkiPermissions;
pub use static_pod_manifest_permissions::StaticPodManifestPermissions;
