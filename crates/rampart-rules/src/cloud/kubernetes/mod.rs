mod eks_control_plane_logging;
mod eks_public_endpoint;
mod eks_public_endpoint_open;
mod eks_secrets_not_encrypted;

pub(crate) use eks_control_plane_logging::*;
pub(crate) use eks_public_endpoint::*;
pub(crate) use eks_public_endpoint_open::*;
pub(crate) use eks_secrets_not_encrypted::*;

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
