//! Kubernetes RBAC, resolved the way the API server's RBAC authorizer does it.
//!
//! [`RbacModel::build`] reads Roles, ClusterRoles (aggregating them as the controller does),
//! RoleBindings, ClusterRoleBindings and ServiceAccounts from the scanned objects, adds the
//! roles and bindings every cluster starts with, and indexes them. It then answers:
//! - [`RbacModel::can_i`]: may this identity make this request, and through which grants;
//! - [`RbacModel::who_can`]: every subject that may make a request;
//! - [`RbacModel::permissions`]: everything an identity holds, cluster-wide and per namespace;
//! - [`RbacModel::service_accounts`]: which workloads run as which service account, and
//!   whether they hold its token;
//! - [`escalation`]: who can make themselves cluster-admin (or reach another crown jewel), and
//!   by which chain of techniques.
//!
//! Every grant keeps its provenance (binding, role, rule index, file and line), and every
//! problem in the input is a [`Diagnostic`] with file and line.

mod defaults;
pub mod escalation;
mod load;
mod model;
pub mod resources;
mod rule;
mod selector;
mod service_accounts;
mod subject;

pub use defaults::{DEFAULTS_PATH, default_objects};
pub use load::RBAC_GROUP;
pub use model::{
    AllowedSubject, Binding, BindingId, BindingKind, Decision, Grant, RbacModel, RbacOptions,
    Reason, Role, RoleId, RoleKind, RuleId, ScopedGrants, StoredRule,
};
pub use rule::{ALL, PolicyRule, Request, Target};
pub use selector::LabelSelector;
pub use service_accounts::{Automount, ServiceAccount, WorkloadUse, pod_service_account};
pub use subject::{
    ANONYMOUS, AUTHENTICATED, Identity, MASTERS, SERVICE_ACCOUNTS, Subject, SubjectKind,
    UNAUTHENTICATED, identity_of, parse_subject, service_account_user,
};

#[cfg(test)]
mod tests;
