//! The answers of `rampart rbac can-i | who-can | permissions | escalations`, assembled from the
//! RBAC model with the binding, role and rule behind each; the shape of their JSON, as
//! `docs/json-rbac.md` documents it.

use rampart_core::Location;
use rampart_k8s::rbac::resources::{Scope, resolve, scope};
use rampart_k8s::rbac::{
    AllowedSubject, Decision, Grant, Identity, MASTERS, RbacModel, Reason, Request, ScopedGrants,
    Subject, SubjectKind,
};
use serde::Serialize;

mod escalations;
pub mod text;
pub use escalations::{
    EscalationsReport, PathEntry, PermissionEntry, StepEntry, SubjectRef, step_permissions,
};

/// The version of the contract of every `rbac` command's JSON; raised by a change that breaks
/// its readers.
pub const SCHEMA_VERSION: u32 = 1;

/// A request as the command line asks it: kubectl's notation for the resource.
pub struct RequestQuery<'a> {
    pub verb: &'a str,
    /// `pods`, `pods/exec`, `deployments.apps`, or a non-resource URL (`/healthz`).
    pub resource: &'a str,
    pub namespace: Option<&'a str>,
    pub api_group: Option<&'a str>,
    pub name: Option<&'a str>,
}

/// The request as the API server would see it, with notes on what was adjusted (a namespace
/// given for a cluster-scoped resource).
pub fn request(query: &RequestQuery) -> Result<(Request, Vec<String>), String> {
    let mut notes = Vec::new();
    let namespace = query.namespace.unwrap_or_default();
    if query.resource.starts_with('/') {
        if !namespace.is_empty() {
            notes.push("non-resource URLs have no namespace; -n is ignored".to_owned());
        }
        return Ok((Request::non_resource(query.verb, query.resource), notes));
    }
    let (group, resource, subresource) = resolve(query.resource, query.api_group);
    if resource.is_empty() {
        return Err(format!("`{}` names no resource", query.resource));
    }
    let name = query.name.unwrap_or_default();
    let namespace = if group.is_empty() && resource == "namespaces" {
        // A namespace's own requests carry it as their namespace, so RoleBindings inside it
        // can grant reading it.
        name
    } else if scope(&group, &resource) == Some(Scope::Cluster) {
        if !namespace.is_empty() {
            notes.push(format!(
                "{resource} is cluster-scoped, so only ClusterRoleBindings grant it; -n is ignored"
            ));
        }
        ""
    } else {
        namespace
    };
    let request = Request::resource(query.verb, namespace, &group, &resource, &subresource, name);
    Ok((request, notes))
}

/// A binding or role, where it is declared.
#[derive(Serialize)]
pub struct ObjectEntry {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub namespace: String,
    pub name: String,
    pub path: String,
    pub line: u32,
}

/// One rule of a role, where it is declared.
#[derive(Serialize)]
pub struct RuleEntry {
    pub index: usize,
    pub path: String,
    pub line: u32,
    pub verbs: Vec<String>,
    #[serde(rename = "apiGroups", skip_serializing_if = "Vec::is_empty")]
    pub api_groups: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(rename = "resourceNames", skip_serializing_if = "Vec::is_empty")]
    pub resource_names: Vec<String>,
    #[serde(rename = "nonResourceURLs", skip_serializing_if = "Vec::is_empty")]
    pub non_resource_urls: Vec<String>,
    /// The ClusterRole that lists the rule, when the bound role has it by aggregation.
    #[serde(rename = "aggregatedFrom", skip_serializing_if = "Option::is_none")]
    pub aggregated_from: Option<String>,
}

/// A binding, the role it binds and the rule of that role that grants a request.
#[derive(Serialize)]
pub struct GrantEntry {
    pub binding: ObjectEntry,
    pub role: ObjectEntry,
    pub rule: RuleEntry,
}

/// Why a request is allowed: a grant, or membership of `system:masters`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ReasonEntry {
    Grant(Box<GrantEntry>),
    Privileged { privileged_group: &'static str },
}

/// A problem of the input, for people.
#[derive(Serialize)]
pub struct DiagnosticEntry {
    pub level: &'static str,
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

fn object_entry(kind: &'static str, namespace: &str, name: &str, at: &Location) -> ObjectEntry {
    ObjectEntry {
        kind,
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        path: at.path.to_string(),
        line: at.line,
    }
}

pub fn grant_entry(model: &RbacModel, grant: &Grant) -> GrantEntry {
    let binding = model.binding(grant.binding);
    let role = model.role(grant.role);
    let stored = model.rule(grant.rule);
    let origin = model.role(stored.role);
    GrantEntry {
        binding: object_entry(
            binding.kind.as_str(),
            &binding.namespace,
            &binding.name,
            &binding.location,
        ),
        role: object_entry(
            role.kind.as_str(),
            &role.namespace,
            &role.name,
            &role.location,
        ),
        rule: RuleEntry {
            index: stored.index,
            path: origin.location.path.to_string(),
            line: stored.line,
            verbs: stored.rule.verbs.clone(),
            api_groups: stored.rule.api_groups.clone(),
            resources: stored.rule.resources.clone(),
            resource_names: stored.rule.resource_names.clone(),
            non_resource_urls: stored.rule.non_resource_urls.clone(),
            aggregated_from: (stored.role != grant.role).then(|| origin.name.clone()),
        },
    }
}

fn reason_entry(model: &RbacModel, reason: &Reason) -> ReasonEntry {
    match reason {
        Reason::PrivilegedGroup => ReasonEntry::Privileged {
            privileged_group: MASTERS,
        },
        Reason::Grant(grant) => ReasonEntry::Grant(Box::new(grant_entry(model, grant))),
    }
}

fn diagnostic_entries(model: &RbacModel) -> Vec<DiagnosticEntry> {
    model
        .diagnostics()
        .iter()
        .map(|d| DiagnosticEntry {
            level: d.level.as_str(),
            path: d.path.clone(),
            line: d.line,
            message: d.message.clone(),
        })
        .collect()
}

/// `rbac can-i`: whether the subject may make the request, and every grant that allows it.
#[derive(Serialize)]
pub struct CanIReport {
    pub schema_version: u32,
    pub allowed: bool,
    pub subject: String,
    pub request: String,
    pub reasons: Vec<ReasonEntry>,
    pub notes: Vec<String>,
    pub diagnostics: Vec<DiagnosticEntry>,
}

impl CanIReport {
    pub fn new(
        model: &RbacModel,
        subject: &Subject,
        request: &Request,
        decision: &Decision,
        notes: &[String],
    ) -> CanIReport {
        CanIReport {
            schema_version: SCHEMA_VERSION,
            allowed: decision.allowed,
            subject: subject.to_string(),
            request: request.to_string(),
            reasons: decision
                .reasons
                .iter()
                .map(|r| reason_entry(model, r))
                .collect(),
            notes: notes.to_vec(),
            diagnostics: diagnostic_entries(model),
        }
    }
}

/// A subject allowed to make a request, and every way it is allowed.
#[derive(Serialize)]
pub struct SubjectEntry {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub namespace: String,
    pub name: String,
    pub via: Vec<ReasonEntry>,
}

/// `rbac who-can`: every subject allowed to make the request.
#[derive(Serialize)]
pub struct WhoCanReport {
    pub schema_version: u32,
    pub request: String,
    pub subjects: Vec<SubjectEntry>,
    pub notes: Vec<String>,
    pub diagnostics: Vec<DiagnosticEntry>,
}

impl WhoCanReport {
    pub fn new(
        model: &RbacModel,
        request: &Request,
        allowed: &[AllowedSubject],
        notes: &[String],
    ) -> WhoCanReport {
        WhoCanReport {
            schema_version: SCHEMA_VERSION,
            request: request.to_string(),
            subjects: allowed
                .iter()
                .map(|a| SubjectEntry {
                    kind: a.subject.kind.as_str(),
                    namespace: a.subject.namespace.clone(),
                    name: a.subject.name.clone(),
                    via: a.via.iter().map(|r| reason_entry(model, r)).collect(),
                })
                .collect(),
            notes: notes.to_vec(),
            diagnostics: diagnostic_entries(model),
        }
    }
}

/// The grants of one scope.
#[derive(Serialize)]
pub struct ScopeEntry {
    /// `null`: cluster-wide.
    pub namespace: Option<String>,
    pub grants: Vec<GrantEntry>,
}

/// A workload that runs as a service account.
#[derive(Serialize)]
pub struct WorkloadEntry {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub path: String,
    pub line: u32,
    pub token_mounted: bool,
}

/// `rbac permissions`: everything one identity is granted, scope by scope.
#[derive(Serialize)]
pub struct PermissionsReport {
    pub schema_version: u32,
    pub subject: String,
    pub user: String,
    pub groups: Vec<String>,
    /// In `system:masters`: allowed everything, whatever the grants below say.
    pub privileged: bool,
    pub scopes: Vec<ScopeEntry>,
    /// For a service account: the workloads that run as it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workloads: Option<Vec<WorkloadEntry>>,
    pub diagnostics: Vec<DiagnosticEntry>,
}

impl PermissionsReport {
    /// `scopes` are what `model.permissions(identity)` gives.
    pub fn new(
        model: &RbacModel,
        subject: &Subject,
        identity: &Identity,
        scopes: &[ScopedGrants],
    ) -> PermissionsReport {
        PermissionsReport {
            schema_version: SCHEMA_VERSION,
            subject: subject.to_string(),
            user: identity.user.clone(),
            groups: identity.groups.clone(),
            privileged: identity.is_privileged(),
            scopes: scopes
                .iter()
                .map(|scope| ScopeEntry {
                    namespace: scope.namespace.clone(),
                    grants: scope.grants.iter().map(|g| grant_entry(model, g)).collect(),
                })
                .collect(),
            workloads: (subject.kind == SubjectKind::ServiceAccount)
                .then(|| workloads_running_as(model, subject)),
            diagnostics: diagnostic_entries(model),
        }
    }
}

fn workloads_running_as(model: &RbacModel, account: &Subject) -> Vec<WorkloadEntry> {
    let Some(account) = model.service_account(&account.namespace, &account.name) else {
        return Vec::new();
    };
    account
        .workloads
        .iter()
        .map(|w| WorkloadEntry {
            kind: w.object.kind.clone(),
            namespace: w.object.namespace.clone(),
            name: w.object.name.clone(),
            path: w.location.path.to_string(),
            line: w.location.line,
            token_mounted: w.token_mounted(),
        })
        .collect()
}
