//! Privilege escalation in RBAC: a catalogue of techniques (each also a `K2xx` rule) and the
//! search for the shortest chain of them from any identity to a crown jewel
//! (cluster-admin, every Secret, the nodes).
//!
//! Every permission a technique needs is a [`Request`](crate::rbac::Request) put to the same
//! authorizer as `can_i`, so what counts as holding it is exactly what the API server allows.

mod catalogue;
mod flags;
mod search;

pub use catalogue::{
    Gain, Jewel, Needs, Permission, Route, Scope, TECHNIQUES, Technique, TechniqueId, has_aws_auth,
    is_default_account, is_masters, is_public, technique,
};
pub use flags::{
    Holder, RuleFlags, Use, Wildcard, flagged_permission, holders, needs_company, uses, wildcard,
};
pub use search::{ClusterFacts, EscalationGraph, EscalationPath, Step};

#[cfg(test)]
mod tests;
