//! AWS IAM, evaluated as AWS evaluates it, without I/O: policy documents read with the
//! grammar of the IAM JSON policy reference ([`policy`]), wildcards matched as IAM matches
//! them ([`pattern`]), the policy types of one account combined into a three-valued answer
//! that names its deciding statements ([`eval`]); the catalogue of actions ([`actions`]), the
//! AWS managed policies ([`managed`]) and the privilege escalation methods ([`escalation`]).

pub mod access;
pub mod account;
pub mod actions;
pub mod escalation;
pub mod eval;
pub mod managed;
pub mod pattern;
pub mod policy;
mod tri;

pub use eval::{
    Caller, CallerKind, Deciding, Decision, Named, Policies, PolicyKind, Request, Resource,
    ResourcePolicy, Unknown, Verdict, evaluate,
};
pub use policy::{Effect, Policy, PolicyError};
pub use tri::Tri;
