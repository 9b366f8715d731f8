//! `rampart rbac can-i | who-can | permissions | escalations`: RBAC questions answered from the
//! manifests, with the binding, role and rule behind every answer.

use std::io::Write;

use anyhow::{Result, bail};
use rampart_core::Location;
use rampart_k8s::rbac::resources::{Scope, resolve, scope};
use rampart_k8s::rbac::{
    Diagnostic, DiagnosticLevel, Grant, Identity, RbacModel, RbacOptions, Reason, Request, Subject,
    SubjectKind, identity_of, parse_subject,
};
use rampart_source::Object;
use serde::Serialize;

use crate::cli::{CanIArgs, PermissionsArgs, RbacFormat, RbacModelArgs, RequestArgs, WhoCanArgs};
use crate::scan::{read, targets, write_output};

mod escalations;
pub use escalations::escalations;

/// Loads the inputs and builds the model.
fn load(model_args: &RbacModelArgs) -> Result<RbacModel> {
    Ok(load_with_objects(model_args)?.1)
}

/// Loads the inputs and builds the model, keeping the objects.
fn load_with_objects(model_args: &RbacModelArgs) -> Result<(Vec<Object>, RbacModel)> {
    let input = &model_args.input;
    let mut inventory = read(&targets(input), input)?;
    let objects = inventory.take::<Object>();
    let model = RbacModel::build(
        &objects,
        &RbacOptions {
            defaults: !model_args.no_defaults,
        },
    );
    Ok((objects, model))
}

/// The request the flags describe, as the API server would see it, with notes on what was
/// adjusted (a namespace given for a cluster-scoped resource).
fn build_request(args: &RequestArgs) -> Result<(Request, Vec<String>)> {
    let mut notes = Vec::new();
    let namespace = args.namespace.clone().unwrap_or_default();
    if args.resource.starts_with('/') {
        if !namespace.is_empty() {
            notes.push("non-resource URLs have no namespace; -n is ignored".to_owned());
        }
        return Ok((Request::non_resource(&args.verb, &args.resource), notes));
    }
    let (group, resource, subresource) = resolve(&args.resource, args.api_group.as_deref());
    if resource.is_empty() {
        bail!("`{}` names no resource", args.resource);
    }
    let name = args.name.clone().unwrap_or_default();
    let namespace = if group.is_empty() && resource == "namespaces" {
        // A namespace's own requests carry it as their namespace, so RoleBindings inside it
        // can grant reading it.
        name.clone()
    } else if scope(&group, &resource) == Some(Scope::Cluster) {
        if !namespace.is_empty() {
            notes.push(format!(
                "{resource} is cluster-scoped, so only ClusterRoleBindings grant it; -n is ignored"
            ));
        }
        String::new()
    } else {
        namespace
    };
    let request = Request::resource(
        &args.verb,
        &namespace,
        &group,
        &resource,
        &subresource,
        &name,
    );
    Ok((request, notes))
}

#[derive(Serialize)]
struct ObjectJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    namespace: String,
    name: String,
    path: String,
    line: u32,
}

#[derive(Serialize)]
struct RuleJson {
    index: usize,
    path: String,
    line: u32,
    verbs: Vec<String>,
    #[serde(rename = "apiGroups", skip_serializing_if = "Vec::is_empty")]
    api_groups: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    resources: Vec<String>,
    #[serde(rename = "resourceNames", skip_serializing_if = "Vec::is_empty")]
    resource_names: Vec<String>,
    #[serde(rename = "nonResourceURLs", skip_serializing_if = "Vec::is_empty")]
    non_resource_urls: Vec<String>,
    /// The ClusterRole that lists the rule, when the bound role has it by aggregation.
    #[serde(rename = "aggregatedFrom", skip_serializing_if = "Option::is_none")]
    aggregated_from: Option<String>,
}

#[derive(Serialize)]
struct GrantJson {
    binding: ObjectJson,
    role: ObjectJson,
    rule: RuleJson,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ReasonJson {
    Grant(Box<GrantJson>),
    Privileged { privileged_group: &'static str },
}

#[derive(Serialize)]
struct DiagnosticJson {
    level: &'static str,
    path: String,
    line: u32,
    message: String,
}

fn object_json(kind: &'static str, namespace: &str, name: &str, location: &Location) -> ObjectJson {
    ObjectJson {
        kind,
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        path: location.path.to_string(),
        line: location.line,
    }
}

fn grant_json(model: &RbacModel, grant: &Grant) -> GrantJson {
    let binding = model.binding(grant.binding);
    let role = model.role(grant.role);
    let stored = model.rule(grant.rule);
    let origin = model.role(stored.role);
    GrantJson {
        binding: object_json(
            binding.kind.as_str(),
            &binding.namespace,
            &binding.name,
            &binding.location,
        ),
        role: object_json(
            role.kind.as_str(),
            &role.namespace,
            &role.name,
            &role.location,
        ),
        rule: RuleJson {
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

fn reason_json(model: &RbacModel, reason: &Reason) -> ReasonJson {
    match reason {
        Reason::PrivilegedGroup => ReasonJson::Privileged {
            privileged_group: rampart_k8s::rbac::MASTERS,
        },
        Reason::Grant(grant) => ReasonJson::Grant(Box::new(grant_json(model, grant))),
    }
}

fn diagnostics_json(model: &RbacModel) -> Vec<DiagnosticJson> {
    model
        .diagnostics()
        .iter()
        .map(|d| DiagnosticJson {
            level: level_name(d.level),
            path: d.path.clone(),
            line: d.line,
            message: d.message.clone(),
        })
        .collect()
}

fn level_name(level: DiagnosticLevel) -> &'static str {
    match level {
        DiagnosticLevel::Error => "error",
        DiagnosticLevel::Warning => "warning",
    }
}

/// `ClusterRoleBinding x (path:line) -> ClusterRole edit (path:line), rule 3 (path:line)`
fn grant_provenance(model: &RbacModel, grant: &Grant) -> String {
    let json = grant_json(model, grant);
    let reference = |o: &ObjectJson| {
        let name = if o.namespace.is_empty() {
            o.name.clone()
        } else {
            format!("{}/{}", o.namespace, o.name)
        };
        format!("{} {name} ({}:{})", o.kind, o.path, o.line)
    };
    let from = json
        .rule
        .aggregated_from
        .as_ref()
        .map(|name| format!(" from ClusterRole {name}"))
        .unwrap_or_default();
    format!(
        "{} -> {}, rule {}{from} ({}:{})",
        reference(&json.binding),
        reference(&json.role),
        json.rule.index,
        json.rule.path,
        json.rule.line,
    )
}

fn describe_reason(model: &RbacModel, reason: &Reason) -> String {
    match reason {
        Reason::PrivilegedGroup => {
            "member of system:masters, which the API server allows before RBAC".to_owned()
        }
        Reason::Grant(grant) => format!(
            "{}: {}",
            grant_provenance(model, grant),
            model.rule(grant.rule).rule
        ),
    }
}

fn write_notes_and_diagnostics(
    out: &mut dyn Write,
    notes: &[String],
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    for note in notes {
        writeln!(out, "note: {note}")?;
    }
    for d in diagnostics {
        writeln!(
            out,
            "{}: {}:{}: {}",
            level_name(d.level),
            d.path,
            d.line,
            d.message
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct CanIReport {
    allowed: bool,
    subject: String,
    request: String,
    reasons: Vec<ReasonJson>,
    notes: Vec<String>,
    diagnostics: Vec<DiagnosticJson>,
}

/// `rampart rbac can-i`; returns true (exit 1) when the request is denied.
pub fn can_i(args: &CanIArgs) -> Result<bool> {
    let subject = parse_subject(&args.subject).map_err(anyhow::Error::msg)?;
    let identity = identity_of(&subject, &args.as_group);
    let (request, notes) = build_request(&args.request)?;
    let model = load(&args.model)?;
    let decision = model.can_i(&identity, &request);
    write_output(
        args.model.input.output.as_deref(),
        |out, _color| match args.model.format {
            RbacFormat::Json => {
                let report = CanIReport {
                    allowed: decision.allowed,
                    subject: subject.to_string(),
                    request: request.to_string(),
                    reasons: decision
                        .reasons
                        .iter()
                        .map(|r| reason_json(&model, r))
                        .collect(),
                    notes: notes.clone(),
                    diagnostics: diagnostics_json(&model),
                };
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            RbacFormat::Table => {
                writeln!(out, "{}", if decision.allowed { "yes" } else { "no" })?;
                for reason in &decision.reasons {
                    writeln!(out, "  via {}", describe_reason(&model, reason))?;
                }
                write_notes_and_diagnostics(out, &notes, model.diagnostics())
            }
        },
    )?;
    Ok(!decision.allowed)
}

#[derive(Serialize)]
struct SubjectJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    namespace: String,
    name: String,
    via: Vec<ReasonJson>,
}

#[derive(Serialize)]
struct WhoCanReport {
    request: String,
    subjects: Vec<SubjectJson>,
    notes: Vec<String>,
    diagnostics: Vec<DiagnosticJson>,
}

/// `rampart rbac who-can`.
pub fn who_can(args: &WhoCanArgs) -> Result<bool> {
    let (request, notes) = build_request(&args.request)?;
    let model = load(&args.model)?;
    let allowed = model.who_can(&request);
    write_output(
        args.model.input.output.as_deref(),
        |out, _color| match args.model.format {
            RbacFormat::Json => {
                let report = WhoCanReport {
                    request: request.to_string(),
                    subjects: allowed
                        .iter()
                        .map(|a| SubjectJson {
                            kind: a.subject.kind.as_str(),
                            namespace: a.subject.namespace.clone(),
                            name: a.subject.name.clone(),
                            via: a.via.iter().map(|r| reason_json(&model, r)).collect(),
                        })
                        .collect(),
                    notes: notes.clone(),
                    diagnostics: diagnostics_json(&model),
                };
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            RbacFormat::Table => {
                writeln!(out, "who can {request}:")?;
                for entry in &allowed {
                    writeln!(out, "{}", display_subject(&entry.subject))?;
                    for reason in &entry.via {
                        writeln!(out, "  via {}", describe_reason(&model, reason))?;
                    }
                }
                write_notes_and_diagnostics(out, &notes, model.diagnostics())
            }
        },
    )?;
    Ok(false)
}

fn display_subject(subject: &Subject) -> String {
    match subject.kind {
        SubjectKind::ServiceAccount => {
            format!("ServiceAccount {}/{}", subject.namespace, subject.name)
        }
        kind => format!("{} {}", kind.as_str(), subject.name),
    }
}

#[derive(Serialize)]
struct ScopeJson {
    /// `null`: cluster-wide.
    namespace: Option<String>,
    grants: Vec<GrantJson>,
}

#[derive(Serialize)]
struct WorkloadJson {
    kind: String,
    namespace: Option<String>,
    name: String,
    path: String,
    line: u32,
    token_mounted: bool,
}

#[derive(Serialize)]
struct PermissionsReport {
    subject: String,
    user: String,
    groups: Vec<String>,
    /// In `system:masters`: allowed everything, whatever the grants below say.
    privileged: bool,
    scopes: Vec<ScopeJson>,
    /// For a service account: the workloads that run as it.
    #[serde(skip_serializing_if = "Option::is_none")]
    workloads: Option<Vec<WorkloadJson>>,
    diagnostics: Vec<DiagnosticJson>,
}

/// `rampart rbac permissions`.
pub fn permissions(args: &PermissionsArgs) -> Result<bool> {
    let subject = parse_subject(&args.subject).map_err(anyhow::Error::msg)?;
    let identity: Identity = identity_of(&subject, &args.as_group);
    let model = load(&args.model)?;
    let scopes = model.permissions(&identity);
    let workloads = (subject.kind == SubjectKind::ServiceAccount).then(|| {
        model
            .service_account(&subject.namespace, &subject.name)
            .map(|sa| {
                sa.workloads
                    .iter()
                    .map(|w| WorkloadJson {
                        kind: w.object.kind.clone(),
                        namespace: w.object.namespace.clone(),
                        name: w.object.name.clone(),
                        path: w.location.path.to_string(),
                        line: w.location.line,
                        token_mounted: w.token_mounted(),
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let report = PermissionsReport {
        subject: subject.to_string(),
        user: identity.user.clone(),
        groups: identity.groups.clone(),
        privileged: identity.is_privileged(),
        scopes: scopes
            .iter()
            .map(|scope| ScopeJson {
                namespace: scope.namespace.clone(),
                grants: scope.grants.iter().map(|g| grant_json(&model, g)).collect(),
            })
            .collect(),
        workloads,
        diagnostics: diagnostics_json(&model),
    };
    write_output(
        args.model.input.output.as_deref(),
        |out, _color| match args.model.format {
            RbacFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            RbacFormat::Table => write_permissions_table(out, &model, &report, &scopes),
        },
    )?;
    Ok(false)
}

fn write_permissions_table(
    out: &mut dyn Write,
    model: &RbacModel,
    report: &PermissionsReport,
    scopes: &[rampart_k8s::rbac::ScopedGrants],
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} (user {:?}, groups {})",
        report.subject,
        report.user,
        report.groups.join(", ")
    )?;
    if report.privileged {
        writeln!(out, "allowed everything: member of system:masters")?;
    }
    if scopes.is_empty() {
        writeln!(out, "no RBAC grants")?;
    }
    for scope in scopes {
        match &scope.namespace {
            None => writeln!(out, "cluster-wide:")?,
            Some(ns) => writeln!(out, "namespace {ns}:")?,
        }
        for grant in &scope.grants {
            writeln!(out, "  {}", model.rule(grant.rule).rule)?;
            writeln!(out, "    via {}", grant_provenance(model, grant))?;
        }
    }
    if let Some(workloads) = &report.workloads {
        writeln!(out, "workloads running as it:")?;
        if workloads.is_empty() {
            writeln!(out, "  none in the input")?;
        }
        for w in workloads {
            let token = if w.token_mounted {
                "token mounted"
            } else {
                "token not mounted"
            };
            let namespace = w.namespace.as_deref().unwrap_or("default");
            writeln!(
                out,
                "  {} {namespace}/{} ({}:{}): {token}",
                w.kind, w.name, w.path, w.line
            )?;
        }
    }
    write_notes_and_diagnostics(out, &[], model.diagnostics())
}
