//! Rules about networking (`K3xx`): segmentation, exposure, encryption between services and
//! node isolation.

mod common;
mod sensitive_workload_shares_node;

pub use sensitive_workload_shares_node::SensitiveWorkloadSharesNode;
