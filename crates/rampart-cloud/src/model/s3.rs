//! S3 buckets, one per bucket however it is declared: its settings written inline (the
//! provider's older `versioning {}` blocks, CloudFormation's properties) or in the resources
//! version 4 of the AWS provider split them into (`aws_s3_bucket_versioning`,
//! `aws_s3_bucket_public_access_block`, `aws_s3_bucket_policy`, ...), tied to the bucket by
//! reference or by its name.

use crate::model::CloudModel;
use crate::value::Value;

/// One setting of a bucket and where it is declared.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The resource declaring it (the bucket or a separate resource).
    pub resource: usize,
    /// Where in that resource.
    pub pointer: String,
    pub value: Value,
}

/// An S3 bucket and its settings; `None` for a setting declared nowhere.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub resource: usize,
    /// A map with `block_public_acls`, `block_public_policy`, `ignore_public_acls` and
    /// `restrict_public_buckets`.
    pub public_access_block: Option<Setting>,
    /// `true` when versioning is enabled (`Enabled`), `false` when suspended or disabled.
    pub versioning: Option<Setting>,
    /// A map with `sse_algorithm` and `kms_master_key_id` (the default encryption rule).
    pub encryption: Option<Setting>,
    /// Access logging: a map with the target bucket.
    pub logging: Option<Setting>,
    /// Bucket policies, each a JSON document (a string, or decoded).
    pub policies: Vec<Setting>,
    /// The canned ACL (`private`, `public-read`, ...).
    pub acl: Option<Setting>,
    /// Object ownership (`BucketOwnerEnforced` disables ACLs).
    pub ownership: Option<Setting>,
}

/// Separate resources configuring a bucket, with the attribute naming it.
const PARTS: &[(&str, &str)] = &[
    ("aws_s3_bucket_public_access_block", "bucket"),
    ("aws_s3_bucket_versioning", "bucket"),
    (
        "aws_s3_bucket_server_side_encryption_configuration",
        "bucket",
    ),
    ("aws_s3_bucket_logging", "bucket"),
    ("aws_s3_bucket_policy", "bucket"),
    ("aws_s3_bucket_acl", "bucket"),
    ("aws_s3_bucket_ownership_controls", "bucket"),
];

pub(crate) fn buckets(model: &CloudModel) -> Vec<Bucket> {
    let mut buckets: Vec<Bucket> = model
        .of_kind("aws_s3_bucket")
        .map(|(index, resource)| inline(index, resource))
        .collect();
    for (part_kind, attribute) in PARTS {
        for (index, part) in model.of_kind(part_kind) {
            for target in model.linked(part, attribute, &["aws_s3_bucket"], "bucket") {
                let Some(bucket) = buckets.iter_mut().find(|b| b.resource == target) else {
                    continue;
                };
                apply_part(bucket, part_kind, index, &part.values);
            }
        }
    }
    buckets
}

/// A setting; a nested block (a list of one map in Terraform) as its map.
fn setting(resource: usize, pointer: &str, value: Value) -> Option<Setting> {
    let value = match value {
        Value::List(mut items) if items.len() == 1 => items.remove(0),
        other => other,
    };
    Some(Setting {
        resource,
        pointer: pointer.to_owned(),
        value,
    })
}

/// The settings written in the bucket resource itself.
fn inline(index: usize, resource: &crate::Resource) -> Bucket {
    let values = &resource.values;
    let mut bucket = Bucket {
        resource: index,
        public_access_block: None,
        versioning: None,
        encryption: None,
        logging: None,
        policies: Vec::new(),
        acl: None,
        ownership: None,
    };
    // CloudFormation's properties, in snake_case.
    if let Some(block) = values.get("public_access_block_configuration") {
        bucket.public_access_block =
            setting(index, "/public_access_block_configuration", block.clone());
    }
    if let Some(status) = values.at("versioning_configuration/status") {
        bucket.versioning = setting(index, "/versioning_configuration/status", enabled(status));
    }
    if let Some(rule) = values.at("bucket_encryption/server_side_encryption_configuration/0/server_side_encryption_by_default") {
        bucket.encryption = setting(
            index,
            "/bucket_encryption/server_side_encryption_configuration/0/server_side_encryption_by_default/sse_algorithm",
            rule.clone(),
        );
    }
    if let Some(logging) = values.get("logging_configuration") {
        bucket.logging = setting(index, "/logging_configuration", logging.clone());
    }
    if let Some(acl) = values.get("access_control") {
        bucket.acl = setting(index, "/access_control", cfn_acl(acl));
    }
    if let Some(rule) = values.at("ownership_controls/rules/0/object_ownership") {
        bucket.ownership = setting(index, "/ownership_controls", rule.clone());
    }
    // Terraform's inline blocks (deprecated in provider 4, still read).
    if let Some(flag) = values.at("versioning/enabled") {
        bucket.versioning = setting(index, "/versioning/0/enabled", flag.clone());
    }
    if let Some(rule) = values
        .at("server_side_encryption_configuration/rule/apply_server_side_encryption_by_default")
    {
        bucket.encryption = setting(
            index,
            "/server_side_encryption_configuration/0/rule/0/apply_server_side_encryption_by_default/0/sse_algorithm",
            rule.clone(),
        );
    }
    if let Some(logging) = values.get("logging").filter(|l| !l.items().is_empty()) {
        bucket.logging = setting(index, "/logging", logging.clone());
    }
    if let Some(policy) = values
        .get("policy")
        .filter(|p| !p.is_null() && p.as_str() != Some(""))
    {
        bucket
            .policies
            .extend(setting(index, "/policy", policy.clone()));
    }
    if let Some(acl) = values.get("acl").filter(|a| !a.is_null()) {
        bucket.acl = setting(index, "/acl", acl.clone());
    }
    bucket
}

fn apply_part(bucket: &mut Bucket, kind: &str, index: usize, values: &Value) {
    match kind {
        "aws_s3_bucket_public_access_block" => {
            bucket.public_access_block = setting(index, "", values.clone());
        }
        "aws_s3_bucket_versioning" => {
            let status = values
                .at("versioning_configuration/status")
                .cloned()
                .unwrap_or_else(Value::unknown);
            bucket.versioning = setting(
                index,
                "/versioning_configuration/0/status",
                enabled(&status),
            );
        }
        "aws_s3_bucket_server_side_encryption_configuration" => {
            if let Some(rule) = values.at("rule/apply_server_side_encryption_by_default") {
                bucket.encryption = setting(
                    index,
                    "/rule/0/apply_server_side_encryption_by_default/0/sse_algorithm",
                    rule.clone(),
                );
            }
        }
        "aws_s3_bucket_logging" => bucket.logging = setting(index, "", values.clone()),
        "aws_s3_bucket_policy" => {
            if let Some(policy) = values.get("policy") {
                bucket
                    .policies
                    .extend(setting(index, "/policy", policy.clone()));
            }
        }
        "aws_s3_bucket_acl" => {
            if let Some(acl) = values.get("acl").filter(|a| !a.is_null()) {
                bucket.acl = setting(index, "/acl", acl.clone());
            }
        }
        "aws_s3_bucket_ownership_controls" => {
            if let Some(rule) = values.at("rule/object_ownership") {
                bucket.ownership = setting(index, "/rule/0/object_ownership", rule.clone());
            }
        }
        _ => {}
    }
}

/// A versioning status as whether versioning is on.
fn enabled(status: &Value) -> Value {
    match status {
        Value::String(text) => Value::Bool(text == "Enabled"),
        other => other.clone(),
    }
}

/// CloudFormation's `AccessControl` names (`PublicRead`) as S3's canned ACLs (`public-read`).
fn cfn_acl(value: &Value) -> Value {
    let Some(text) = value.as_str() else {
        return value.clone();
    };
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    Value::String(out)
}
