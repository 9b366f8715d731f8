mod azure_storage_http;
mod azure_storage_public_blobs;
mod azure_storage_tls;
mod ecr_mutable_tags;
mod ecr_scan_on_push;
mod gcs_uniform_access;
mod key_vault_purge_protection;
mod s3_access_logging_disabled;
mod s3_public_access_block;
mod s3_public_acl;
mod s3_tls_not_required;
mod s3_versioning_disabled;

pub(crate) use azure_storage_http::*;
pub(crate) use azure_storage_public_blobs::*;
pub(crate) use azure_storage_tls::*;
pub(crate) use ecr_mutable_tags::*;
pub(crate) use ecr_scan_on_push::*;
pub(crate) use gcs_uniform_access::*;
pub(crate) use key_vault_purge_protection::*;
pub(crate) use s3_access_logging_disabled::*;
pub(crate) use s3_public_access_block::*;
pub(crate) use s3_public_acl::*;
pub(crate) use s3_tls_not_required::*;
pub(crate) use s3_versioning_disabled::*;

use rampart_cloud::Value;
use rampart_cloud::model::s3::Bucket;

use crate::CloudTarget;

/// The bucket the target declares.
pub(crate) fn bucket<'t>(target: &CloudTarget<'t>) -> Option<&'t Bucket> {
    target.model.bucket(target.index)
}

/// The four Block Public Access settings.
const FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

/// Whether Block Public Access sets `flag` for the bucket: on the bucket, or for the whole
/// account (`aws_s3_account_public_access_block`). `None` when it depends on an unknown value.
fn blocks(target: &CloudTarget<'_>, bucket: &Bucket, flag: &str) -> Option<bool> {
    let on_bucket = bucket
        .public_access_block
        .as_ref()
        .and_then(|block| block.value.get(flag));
    let on_account = target
        .model
        .of_kind("aws_s3_account_public_access_block")
        .filter_map(|(_, account)| account.get(flag))
        .next();
    match (on_bucket, on_account) {
        (Some(value), _) if value.as_bool() == Some(true) => Some(true),
        (_, Some(value)) if value.as_bool() == Some(true) => Some(true),
        (Some(Value::Unknown(_)), _) | (_, Some(Value::Unknown(_))) => None,
        _ => Some(false),
    }
}
