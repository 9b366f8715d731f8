//! `rampart rbac can-i | who-can | permissions | escalations`: RBAC questions answered from the
//! manifests, with the binding, role and rule behind every answer.

use std::io::Write;

use anyhow::Result;
use rampart_core::Diagnostic;
use rampart_k8s::rbac::{
    Grant, RbacModel, RbacOptions, Reason, Request, Subject, SubjectKind, identity_of,
    parse_subject,
};
use rampart_scan::rbac::{
    CanIReport, ObjectEntry, PermissionsReport, RequestQuery, WhoCanReport, grant_entry, request,
};
use rampart_source::Object;

use crate::cli::{CanIArgs, PermissionsArgs, RbacFormat, RbacModelArgs, RequestArgs, WhoCanArgs};
use crate::scan::{read, targets, write_output};
use crate::{eprint_diagnostics, write_json};

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

/// The request the flags describe, with notes on what was adjusted.
fn build_request(args: &RequestArgs) -> Result<(Request, Vec<String>)> {
    request(&RequestQuery {
        verb: &args.verb,
        resource: &args.resource,
        namespace: args.namespace.as_deref(),
        api_group: args.api_group.as_deref(),
        name: args.name.as_deref(),
    })
    .map_err(anyhow::Error::msg)
}

/// `ClusterRoleBinding x (path:line) -> ClusterRole edit (path:line), rule 3 (path:line)`
fn grant_provenance(model: &RbacModel, grant: &Grant) -> String {
    let json = grant_entry(model, grant);
    let reference = |o: &ObjectEntry| {
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

/// The notes on the request with the answer; the problems of the input on standard error.
fn write_notes_and_diagnostics(
    out: &mut dyn Write,
    notes: &[String],
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    for note in notes {
        writeln!(out, "note: {note}")?;
    }
    eprint_diagnostics(diagnostics);
    Ok(())
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
            RbacFormat::Json => write_json(
                out,
                &CanIReport::new(&model, &subject, &request, &decision, &notes),
            ),
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

/// `rampart rbac who-can`.
pub fn who_can(args: &WhoCanArgs) -> Result<bool> {
    let (request, notes) = build_request(&args.request)?;
    let model = load(&args.model)?;
    let allowed = model.who_can(&request);
    write_output(
        args.model.input.output.as_deref(),
        |out, _color| match args.model.format {
            RbacFormat::Json => {
                write_json(out, &WhoCanReport::new(&model, &request, &allowed, &notes))
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

/// `rampart rbac permissions`.
pub fn permissions(args: &PermissionsArgs) -> Result<bool> {
    let subject = parse_subject(&args.subject).map_err(anyhow::Error::msg)?;
    let identity = identity_of(&subject, &args.as_group);
    let model = load(&args.model)?;
    let scopes = model.permissions(&identity);
    let report = PermissionsReport::new(&model, &subject, &identity, &scopes);
    write_output(
        args.model.input.output.as_deref(),
        |out, _color| match args.model.format {
            RbacFormat::Json => write_json(out, &report),
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
