//! A declared cloud resource, however it was declared: a Terraform resource instance (from HCL
//! or a plan) or a CloudFormation resource, with its evaluated attributes and where each of
//! them was written.

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_core::{Platform, Subject};

use crate::value::Value;

/// Where a resource comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A Terraform configuration, evaluated by rampart.
    TerraformHcl,
    /// A Terraform plan (`terraform show -json`), evaluated by Terraform.
    TerraformPlan,
    CloudFormation,
}

impl Origin {
    pub fn platform(self) -> Platform {
        match self {
            Origin::TerraformHcl | Origin::TerraformPlan => Platform::Terraform,
            Origin::CloudFormation => Platform::CloudFormation,
        }
    }
}

/// A position in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub path: Arc<str>,
    pub line: u32,
    pub column: u32,
}

/// One resource instance.
#[derive(Debug, Clone)]
pub struct Resource {
    pub origin: Origin,
    /// The type in the provider model, as the Terraform provider names it (`aws_s3_bucket`):
    /// CloudFormation types are mapped to it (`AWS::S3::Bucket` is `aws_s3_bucket`), so that a
    /// rule is written once. Types without a counterpart keep their own name.
    pub kind: String,
    /// The type as declared (`aws_s3_bucket`, `AWS::S3::Bucket`): the subject's kind.
    pub declared_kind: String,
    /// The name within its scope: `aws_s3_bucket.logs["eu"]` (a Terraform address without
    /// module path), or a CloudFormation logical id.
    pub name: String,
    /// What the name is unique within: the Terraform root module's folder (relative to its
    /// repository, `.` for the top) followed by the module path (`infra:module.vpc`); a
    /// CloudFormation template's path relative to its repository.
    pub scope: String,
    /// The full Terraform address with module path (`module.vpc.aws_subnet.a[0]`) or the
    /// logical id: what other resources' references name.
    pub address: String,
    /// The attributes, in the provider model's names (Terraform's, `snake_case`): nested blocks
    /// are lists of maps for Terraform and maps for CloudFormation (read both with
    /// [`Value::at`] and [`Value::items`]).
    pub values: Value,
    /// Where the resource is declared.
    pub at: Position,
    /// The last line of its declaration.
    pub end_line: u32,
    /// Where attributes were written, by JSON pointer (`/ingress/0/cidr_blocks`).
    pub fields: BTreeMap<String, (u32, u32)>,
    /// For each top-level attribute, the addresses of the resources its expression refers to
    /// (Terraform `aws_s3_bucket.b.id`, CloudFormation `!Ref Bucket`): how a bucket's separate
    /// policy or public access block is tied to it when its name is unknown.
    pub references: BTreeMap<String, Vec<String>>,
    /// The rule codes (or prefixes) suppressed for this resource, with the reason given.
    pub ignores: Vec<(String, Option<String>)>,
    /// Whether this is a data source (Terraform `data` block).
    pub data: bool,
}

impl Resource {
    /// The attribute at `path` (see [`Value::at`]).
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.values.at(path)
    }

    pub fn str(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(Value::as_str)
    }

    /// A boolean attribute: `Some` only when it is set and known.
    pub fn bool(&self, path: &str) -> Option<bool> {
        self.get(path).and_then(Value::as_bool)
    }

    pub fn subject(&self) -> Subject {
        Subject {
            platform: self.origin.platform(),
            system: None,
            kind: self.declared_kind.clone(),
            scope: Some(self.scope.clone()),
            name: self.name.clone(),
            version: None,
        }
    }

    /// Where the attribute at `pointer` was written: the deepest recorded field on its path,
    /// else the resource itself. A pointer may leave out the index of a nested block written
    /// once (`/vpc_config/endpoint_public_access` finds `/vpc_config/0/...`), so that one
    /// pointer serves Terraform's blocks and CloudFormation's maps.
    pub fn position_of(&self, pointer: &str) -> (u32, u32) {
        let mut at = (self.at.line, self.at.column);
        let mut path = String::new();
        let steps: Vec<&str> = pointer.split('/').filter(|step| !step.is_empty()).collect();
        for (index, step) in steps.iter().enumerate() {
            let direct = format!("{path}/{step}");
            // Into a block's only item when the pointer names no index next.
            let indexed_next = steps
                .get(index + 1)
                .is_some_and(|next| next.parse::<usize>().is_ok());
            let block = (!indexed_next).then(|| format!("{direct}/0"));
            let found = std::iter::once(direct)
                .chain(block)
                .find_map(|candidate| Some((self.fields.get(&candidate).copied()?, candidate)));
            match found {
                Some((position, candidate)) => {
                    at = position;
                    path = candidate;
                }
                // A list of blocks has no position of its own: its items have.
                None if indexed_next => path = format!("{path}/{step}"),
                None => break,
            }
        }
        at
    }

    /// Whether the attribute named `attribute` refers to the resource at `address`.
    pub fn refers_to(&self, attribute: &str, address: &str) -> bool {
        self.references
            .get(attribute)
            .is_some_and(|addresses| addresses.iter().any(|a| same_instance(a, address)))
    }
}

/// Whether a reference to `referred` (which may leave out an instance key) names `address`.
pub(crate) fn same_instance(referred: &str, address: &str) -> bool {
    referred == address
        || address
            .strip_prefix(referred)
            .is_some_and(|rest| rest.starts_with('['))
}
