//! Rules about networking (`K3xx`): segmentation, exposure, encryption between services and
//! node isolation.

mod common;
mod segmentation;

mod default_deny_egress;
mod default_deny_ingress;
mod destination_rule_tls_override;
mod ingress_without_tls;
mod mesh_plaintext_accepted;
mod policy_open_peer;
mod policy_selects_nothing;
mod sensitive_workload_shares_node;
mod service_without_source_ranges;
mod workload_not_isolated;
mod workload_outside_mesh;

pub use default_deny_egress::NamespaceWithoutDefaultDenyEgress;
pub use default_deny_ingress::NamespaceWithoutDefaultDenyIngress;
pub use destination_rule_tls_override::DestinationRuleTlsOverride;
pub use ingress_without_tls::IngressWithoutTls;
pub use mesh_plaintext_accepted::MeshPlaintextAccepted;
pub use policy_open_peer::NetworkPolicyOpenPeer;
pub use policy_selects_nothing::NetworkPolicySelectsNothing;
pub use sensitive_workload_shares_node::SensitiveWorkloadSharesNode;
pub use service_without_source_ranges::ServiceWithoutSourceRanges;
pub use workload_not_isolated::WorkloadNotIsolated;
pub use workload_outside_mesh::WorkloadOutsideMesh;
