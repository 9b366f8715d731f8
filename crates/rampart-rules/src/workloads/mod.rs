//! Rules about workloads (`K1xx`): pod and container security settings, images, resources and
//! where workloads run.

mod bare_pod;

pub use bare_pod::BarePod;

// Pod Security Standards controls (K101-K120), one upstream check each, through `pss`.
mod apparmor_unconfined;
mod capabilities_beyond_baseline;
mod capabilities_not_dropped;
mod host_ipc;
mod host_network;
mod host_path_volume;
mod host_pid;
mod host_port;
mod host_probe_or_lifecycle_hook;
mod privilege_escalation_allowed;
mod privileged_container;
mod pss;
mod restricted_volume_type;
mod run_as_non_root_not_set;
mod run_as_root_user;
mod seccomp_profile_missing;
mod seccomp_unconfined;
mod selinux_options;
mod unmasked_proc_mount;
mod unsafe_sysctl;
mod windows_host_process;

pub use apparmor_unconfined::ApparmorUnconfined;
pub use capabilities_beyond_baseline::CapabilitiesBeyondBaseline;
pub use capabilities_not_dropped::CapabilitiesNotDropped;
pub use host_ipc::HostIpc;
pub use host_network::HostNetwork;
pub use host_path_volume::HostPathVolume;
pub use host_pid::HostPid;
pub use host_port::HostPort;
pub use host_probe_or_lifecycle_hook::HostProbeOrLifecycleHook;
pub use privilege_escalation_allowed::PrivilegeEscalationAllowed;
pub use privileged_container::PrivilegedContainer;
pub use restricted_volume_type::RestrictedVolumeType;
pub use run_as_non_root_not_set::RunAsNonRootNotSet;
pub use run_as_root_user::RunAsRootUser;
pub use seccomp_profile_missing::SeccompProfileMissing;
pub use seccomp_unconfined::SeccompUnconfined;
pub use selinux_options::SelinuxOptions;
pub use unmasked_proc_mount::UnmaskedProcMount;
pub use unsafe_sysctl::UnsafeSysctl;
pub use windows_host_process::WindowsHostProcess;

// Workload hardening beyond the Pod Security Standards (K130-K153).
mod common;
mod cpu_limit_missing;
mod cpu_request_missing;
mod dangerous_capabilities;
mod default_namespace;
mod default_service_account;
mod empty_dir_no_size_limit;
mod image_not_pinned;
mod image_pull_policy_not_always;
mod image_registry_not_allowed;
mod image_tag_latest;
mod image_user_fails_run_as_non_root;
mod low_run_as_user;
mod memory_limit_missing;
mod memory_request_missing;
mod net_raw_not_dropped;
mod resources;
mod run_as_group_root;
mod runs_as_image_root_user;
mod secret_as_env;
mod secret_in_env;
mod sensitive_host_path;
mod service_account_token_automounted;
mod share_process_namespace;
mod writable_root_filesystem;

pub use cpu_limit_missing::CpuLimitMissing;
pub use cpu_request_missing::CpuRequestMissing;
pub use dangerous_capabilities::DangerousCapabilities;
pub use default_namespace::DefaultNamespace;
pub use default_service_account::DefaultServiceAccount;
pub use empty_dir_no_size_limit::EmptyDirNoSizeLimit;
pub use image_not_pinned::ImageNotPinned;
pub use image_pull_policy_not_always::ImagePullPolicyNotAlways;
pub use image_registry_not_allowed::ImageRegistryNotAllowed;
pub use image_tag_latest::ImageTagLatest;
pub use image_user_fails_run_as_non_root::ImageUserFailsRunAsNonRoot;
pub use low_run_as_user::LowRunAsUser;
pub use memory_limit_missing::MemoryLimitMissing;
pub use memory_request_missing::MemoryRequestMissing;
pub use net_raw_not_dropped::NetRawNotDropped;
pub use run_as_group_root::RunAsGroupRoot;
pub use runs_as_image_root_user::RunsAsImageRootUser;
pub use secret_as_env::SecretAsEnv;
pub use secret_in_env::SecretInEnv;
pub use sensitive_host_path::SensitiveHostPath;
pub use service_account_token_automounted::ServiceAccountTokenAutomounted;
pub use share_process_namespace::ShareProcessNamespace;
pub use writable_root_filesystem::WritableRootFilesystem;
