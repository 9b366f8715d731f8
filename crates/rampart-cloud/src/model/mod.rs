//! The provider model: every resource read, however it was declared, and the views rules
//! read across resources: [`s3::Bucket`]s with their separately declared settings,
//! [`iam::Iam`] principals and policies, [`identity::Identities`] (which cloud identity a
//! Kubernetes service account or node becomes).

pub mod iam;
pub mod identity;
pub mod network;
pub mod s3;

use std::collections::HashMap;

use rampart_core::Diagnostic;

use crate::resource::{Origin, Resource, same_instance};
use crate::value::Value;

/// Everything the Cloud layer read, joined.
#[derive(Debug, Default)]
pub struct CloudModel {
    /// Every resource and data source instance, in input order (Terraform roots, then plans,
    /// then templates). Indices into this list identify resources in the views.
    pub resources: Vec<Resource>,
    /// Problems met reading and evaluating (each with its file and line).
    pub errors: Vec<Diagnostic>,
    /// S3 buckets with their settings, one per bucket.
    pub buckets: Vec<s3::Bucket>,
    /// IAM principals, policies and their attachments (see [`iam::Iam`]).
    pub iam: iam::Iam,
    /// Cloud identities of Kubernetes service accounts and nodes.
    pub identities: identity::Identities,
    /// By (configuration, address).
    by_address: HashMap<(String, String), usize>,
    /// Buckets by the index of their resource.
    bucket_of: HashMap<usize, usize>,
}

impl CloudModel {
    /// Joins resources into the model. A plan's resource replaces the configuration's resource
    /// of the same address in the same folder (the plan's values are Terraform's own), keeping
    /// the configuration's position, which a plan does not have.
    pub fn new(mut resources: Vec<Resource>, errors: Vec<Diagnostic>) -> CloudModel {
        prefer_plans(&mut resources);
        let mut model = CloudModel {
            resources,
            errors,
            ..CloudModel::default()
        };
        for (index, resource) in model.resources.iter().enumerate() {
            model.by_address.insert(
                (configuration(resource).to_owned(), resource.address.clone()),
                index,
            );
        }
        model.buckets = s3::buckets(&model);
        model.bucket_of = model
            .buckets
            .iter()
            .enumerate()
            .map(|(index, bucket)| (bucket.resource, index))
            .collect();
        model.iam = iam::Iam::of(&model);
        model.identities = identity::Identities::of(&model);
        model
    }

    /// The managed resources (not data sources) of a provider-model type.
    pub fn of_kind<'m>(
        &'m self,
        kind: &'m str,
    ) -> impl Iterator<Item = (usize, &'m Resource)> + 'm {
        self.resources
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.kind == kind && !r.data)
    }

    /// The resource `address` names in the configuration of `from` (its Terraform root or
    /// CloudFormation template); an address without instance key names its first instance.
    pub fn find(&self, from: &Resource, address: &str) -> Option<usize> {
        let key = (configuration(from).to_owned(), address.to_owned());
        self.by_address.get(&key).copied().or_else(|| {
            self.resources.iter().position(|r| {
                configuration(r) == configuration(from) && same_instance(address, &r.address)
            })
        })
    }

    /// The resources that attribute `attribute` of `from` refers to, of one of `kinds`, or
    /// whose `name_key` equals its value (a name written as text rather than a reference).
    pub fn linked(
        &self,
        from: &Resource,
        attribute: &str,
        kinds: &[&str],
        name_key: &str,
    ) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        for address in from.references.get(attribute).into_iter().flatten() {
            for (index, resource) in self.resources.iter().enumerate() {
                if kinds.contains(&resource.kind.as_str())
                    && configuration(resource) == configuration(from)
                    && same_instance(address, &resource.address)
                    && !found.contains(&index)
                {
                    found.push(index);
                }
            }
        }
        if found.is_empty() {
            let wanted: Vec<&str> = match from.get(attribute) {
                Some(Value::String(text)) => vec![text.as_str()],
                Some(Value::List(items)) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            for text in wanted {
                for (index, resource) in self.resources.iter().enumerate() {
                    if kinds.contains(&resource.kind.as_str())
                        && configuration(resource) == configuration(from)
                        && (resource.str(name_key) == Some(text)
                            || resource.str("arn") == Some(text))
                        && !found.contains(&index)
                    {
                        found.push(index);
                    }
                }
            }
        }
        found
    }

    /// The bucket a resource declares, when it is an S3 bucket.
    pub fn bucket(&self, resource: usize) -> Option<&s3::Bucket> {
        self.bucket_of
            .get(&resource)
            .map(|&index| &self.buckets[index])
    }
}

/// The configuration a resource belongs to: its Terraform root folder or its template.
pub fn configuration(resource: &Resource) -> &str {
    match resource.origin {
        Origin::CloudFormation => &resource.scope,
        _ => resource
            .scope
            .split_once(':')
            .map_or(resource.scope.as_str(), |(root, _)| root),
    }
}

fn prefer_plans(resources: &mut Vec<Resource>) {
    let planned: HashMap<(String, String), usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.origin == Origin::TerraformPlan)
        .map(|(index, r)| ((configuration(r).to_owned(), r.address.clone()), index))
        .collect();
    if planned.is_empty() {
        return;
    }
    let mut replaced = vec![false; resources.len()];
    for index in 0..resources.len() {
        if resources[index].origin != Origin::TerraformHcl {
            continue;
        }
        let key = (
            configuration(&resources[index]).to_owned(),
            resources[index].address.clone(),
        );
        if let Some(&plan) = planned.get(&key) {
            let values = resources[plan].values.clone();
            let resource = &mut resources[index];
            resource.values = values;
            resource.origin = Origin::TerraformPlan;
            replaced[plan] = true;
        }
    }
    let mut index = 0;
    resources.retain(|_| {
        let keep = !replaced[index];
        index += 1;
        keep
    });
}
