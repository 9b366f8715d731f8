//! Rules about networking (`K3xx`): segmentation, exposure, encryption between services and
//! node isolation.

mod common;
mod reachability;
mod segmentation;

mod datastore_port_exposed;
mod default_deny_egress;
mod default_deny_ingress;
mod destination_rule_tls_override;
mod egress_to_cloud_metadata;
mod ingress_without_tls;
mod kube_system_reachable;
mod mesh_plaintext_accepted;
mod policy_on_host_network_pod;
mod policy_open_peer;
mod policy_peer_matches_nothing;
mod policy_selects_nothing;
mod sensitive_workload_shares_node;
mod service_without_source_ranges;
mod workload_not_isolated;
mod workload_outside_mesh;

pub use datastore_port_exposed::DatastorePortExposed;
pub use default_deny_egress::NamespaceWithoutDefaultDenyEgress;
pub use default_deny_ingress::NamespaceWithoutDefaultDenyIngress;
pub use destination_rule_tls_override::DestinationRuleTlsOverride;
pub use egress_to_cloud_metadata::EgressToCloudMetadata;
pub use ingress_without_tls::IngressWithoutTls;
pub use kube_system_reachable::KubeSystemReachable;
pub use mesh_plaintext_accepted::MeshPlaintextAccepted;
pub use policy_on_host_network_pod::NetworkPolicyOnHostNetworkPod;
pub use policy_open_peer::NetworkPolicyOpenPeer;
pub use policy_peer_matches_nothing::NetworkPolicyPeerMatchesNothing;
pub use policy_selects_nothing::NetworkPolicySelectsNothing;
pub use sensitive_workload_shares_node::SensitiveWorkloadSharesNode;
pub use service_without_source_ranges::ServiceWithoutSourceRanges;
pub use workload_not_isolated::WorkloadNotIsolated;
pub use workload_outside_mesh::WorkloadOutsideMesh;
