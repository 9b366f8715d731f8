//! Rules about networking (`K3xx`): segmentation, exposure, encryption between services and
//! node isolation.

mod common;
mod segmentation;

mod default_deny_egress;
mod default_deny_ingress;
mod ingress_without_tls;
mod policy_open_peer;
mod policy_selects_nothing;
mod sensitive_workload_shares_node;
mod service_without_source_ranges;
mod workload_not_isolated;

pub use default_deny_egress::NamespaceWithoutDefaultDenyEgress;
pub use default_deny_ingress::NamespaceWithoutDefaultDenyIngress;
pub use ingress_without_tls::IngressWithoutTls;
pub use policy_open_peer::NetworkPolicyOpenPeer;
pub use policy_selects_nothing::NetworkPolicySelectsNothing;
pub use sensitive_workload_shares_node::SensitiveWorkloadSharesNode;
pub use service_without_source_ranges::ServiceWithoutSourceRanges;
pub use workload_not_isolated::WorkloadNotIsolated;
