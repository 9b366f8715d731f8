//! The answer of `rampart rbac escalations`: every path by which an identity of the input can
//! reach a crown jewel, each step with the grants that allow it.

use rampart_k8s::rbac::escalation::{EscalationPath, Jewel, Step};
use rampart_k8s::rbac::{MASTERS, RbacModel, Reason, Subject};
use serde::Serialize;

use super::{DiagnosticEntry, ReasonEntry, SCHEMA_VERSION, diagnostic_entries, reason_entry};

/// A subject without its grants.
#[derive(Serialize)]
pub struct SubjectRef {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub namespace: String,
    pub name: String,
}

/// A request a step makes, with the first reason it is allowed.
#[derive(Serialize)]
pub struct PermissionEntry {
    pub permission: String,
    pub via: ReasonEntry,
}

#[derive(Serialize)]
pub struct StepEntry {
    pub technique: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    /// MITRE ATT&CK technique ids.
    pub mitre: &'static [&'static str],
    /// `null`: cluster-wide.
    pub namespace: Option<String>,
    /// The request that uses the technique, and the grant that allows it.
    #[serde(flatten)]
    pub permission: PermissionEntry,
    /// The other requests the technique needs together with the first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<PermissionEntry>,
    /// The identity the step leads to; `null` for the step that reaches the target.
    pub becomes: Option<SubjectRef>,
    /// What the identity does, in words: which binding of which role to whom, which pod,
    /// which token.
    pub how: String,
}

#[derive(Serialize)]
pub struct PathEntry {
    pub subject: SubjectRef,
    pub steps: Vec<StepEntry>,
    pub reaches: &'static str,
}

/// `rbac escalations`: the shortest path of every identity that can reach the target.
#[derive(Serialize)]
pub struct EscalationsReport {
    pub schema_version: u32,
    pub target: &'static str,
    pub paths: Vec<PathEntry>,
    pub diagnostics: Vec<DiagnosticEntry>,
}

impl EscalationsReport {
    pub fn new(model: &RbacModel, target: Jewel, paths: &[EscalationPath]) -> EscalationsReport {
        EscalationsReport {
            schema_version: SCHEMA_VERSION,
            target: target.as_str(),
            paths: paths.iter().map(|p| path_entry(model, p)).collect(),
            diagnostics: diagnostic_entries(model),
        }
    }
}

fn subject_ref(subject: &Subject) -> SubjectRef {
    SubjectRef {
        kind: subject.kind.as_str(),
        namespace: subject.namespace.clone(),
        name: subject.name.clone(),
    }
}

/// Each request of a step with its first reason; membership of system:masters is a step with
/// no request.
pub fn step_permissions(step: &Step) -> Vec<(String, Reason)> {
    if step.permissions.is_empty() {
        return vec![(format!("member of {MASTERS}"), Reason::PrivilegedGroup)];
    }
    step.permissions
        .iter()
        .map(|(request, reasons)| (request.to_string(), reasons[0]))
        .collect()
}

fn path_entry(model: &RbacModel, path: &EscalationPath) -> PathEntry {
    PathEntry {
        subject: subject_ref(&path.subject),
        steps: path
            .steps
            .iter()
            .map(|step| {
                let mut permissions =
                    step_permissions(step)
                        .into_iter()
                        .map(|(permission, reason)| PermissionEntry {
                            permission,
                            via: reason_entry(model, &reason),
                        });
                let first = permissions.next().expect("a step uses a permission");
                StepEntry {
                    technique: step.technique.slug,
                    code: step.technique.code,
                    name: step.technique.name,
                    mitre: step.technique.mitre,
                    namespace: step.namespace.clone(),
                    permission: first,
                    with: permissions.collect(),
                    becomes: step.becomes.as_ref().map(subject_ref),
                    how: step.how.clone(),
                }
            })
            .collect(),
        reaches: path.reaches.as_str(),
    }
}
