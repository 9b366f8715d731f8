//! Rules of the Cloud layer (C2xx–C9xx; IAM is C1xx), each written once against the provider
//! model of `rampart-cloud`: a rule reads resources by their provider-model type
//! (`aws_s3_bucket` whether declared in Terraform, a plan or CloudFormation) and the model's
//! views across resources (a bucket's separate settings, security group rules, identities).
//! Folders by concern: `kms` (keys and encryption at rest), `storage`, `network`,
//! `database`, `kubernetes` (EKS, GKE, AKS), `logging`, `compute`, `iam` (AWS IAM evaluated by
//! `rampart-iam`; GCP and Azure grants). Most rules are a setting a resource type must hold
//! ([`required::Required`]).

mod compute;
mod database;
mod iam;
mod kms;
mod kubernetes;
mod logging;
mod network;
pub(crate) mod required;
pub(crate) mod storage;

pub(crate) use compute::*;
pub(crate) use database::*;
pub(crate) use iam::*;
pub(crate) use kms::*;
pub(crate) use kubernetes::*;
pub(crate) use logging::*;
pub(crate) use network::*;
pub(crate) use storage::*;

use crate::{CloudTarget, Hit};

/// A hit on `pointer` of resource `index`: the target itself, or another resource that
/// declares one of its settings (a bucket's separate versioning resource), named by its place
/// and, for the fingerprint, by its address.
pub(crate) fn hit_on(
    target: &CloudTarget<'_>,
    index: usize,
    pointer: &str,
    message: String,
) -> Hit {
    if index == target.index {
        return Hit::new(pointer, message);
    }
    let address = &target.model.resources[index].address;
    Hit::new(pointer, message)
        .at(target.place(index, pointer))
        .with_identity(format!("{address}{pointer}"))
}
