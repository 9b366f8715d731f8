mod aks_api_exposed;
mod aks_azure_rbac;
mod aks_entra_id;
mod aks_local_accounts;
mod aks_network_policy;
mod aks_rbac_disabled;
mod aks_secrets_not_encrypted;
mod aks_service_principal;
mod eks_control_plane_logging;
mod eks_node_group_ssh;
mod eks_public_endpoint;
mod eks_public_endpoint_open;
mod eks_secrets_not_encrypted;
mod gke_authorized_networks;
mod gke_legacy_abac;
mod gke_legacy_auth;
mod gke_metadata;
mod gke_network_policy;
mod gke_node_auto_repair;
mod gke_node_auto_upgrade;
mod gke_node_service_account;
mod gke_private_nodes;
mod gke_public_endpoint;
mod gke_release_channel;
mod gke_secrets_not_encrypted;
mod gke_shielded_nodes;
mod gke_workload_identity;

pub(crate) use aks_api_exposed::*;
pub(crate) use aks_azure_rbac::*;
pub(crate) use aks_entra_id::*;
pub(crate) use aks_local_accounts::*;
pub(crate) use aks_network_policy::*;
pub(crate) use aks_rbac_disabled::*;
pub(crate) use aks_secrets_not_encrypted::*;
pub(crate) use aks_service_principal::*;
pub(crate) use eks_control_plane_logging::*;
pub(crate) use eks_node_group_ssh::*;
pub(crate) use eks_public_endpoint::*;
pub(crate) use eks_public_endpoint_open::*;
pub(crate) use eks_secrets_not_encrypted::*;
pub(crate) use gke_authorized_networks::*;
pub(crate) use gke_legacy_abac::*;
pub(crate) use gke_legacy_auth::*;
pub(crate) use gke_metadata::*;
pub(crate) use gke_network_policy::*;
pub(crate) use gke_node_auto_repair::*;
pub(crate) use gke_node_auto_upgrade::*;
pub(crate) use gke_node_service_account::*;
pub(crate) use gke_private_nodes::*;
pub(crate) use gke_public_endpoint::*;
pub(crate) use gke_release_channel::*;
pub(crate) use gke_secrets_not_encrypted::*;
pub(crate) use gke_shielded_nodes::*;
pub(crate) use gke_workload_identity::*;

use rampart_cloud::Resource;
use rampart_cloud::model::network::is_anywhere;

/// Whether an EKS cluster's API endpoint is public (the default), and the ranges that reach
/// it (all of them by default). `None` when not known statically.
pub(crate) fn eks_public_access(cluster: &Resource) -> Option<(bool, Vec<String>)> {
    let public = match cluster.get("vpc_config/endpoint_public_access") {
        None => true,
        Some(value) => value.as_bool()?,
    };
    let ranges = match cluster.get("vpc_config/public_access_cidrs") {
        None => vec!["0.0.0.0/0".to_owned()],
        Some(value) if value.has_unknown() => return None,
        Some(value) => value
            .items()
            .iter()
            .filter_map(|range| range.as_str().map(str::to_owned))
            .collect(),
    };
    Some((public, ranges))
}

/// Whether any of `ranges` is the whole internet.
pub(crate) fn any_anywhere(ranges: &[String]) -> bool {
    ranges.iter().any(|range| is_anywhere(range))
}
