//! The RBAC answers written for people: each answer with the binding, role and rule behind it,
//! `path:line` for each. The input's problems are not written here: the command prints them
//! on standard error, so standard output holds only the answer.

use std::io::{self, Write};

use rampart_k8s::rbac::escalation::{EscalationPath, Jewel};
use rampart_k8s::rbac::{
    AllowedSubject, Decision, Grant, RbacModel, Reason, Request, ScopedGrants, Subject, SubjectKind,
};

use super::escalations::step_permissions;
use super::{ObjectEntry, PermissionsReport, grant_entry};

/// `yes` or `no`, then the grants that allow it, then the notes on the request.
pub fn write_can_i(
    out: &mut dyn Write,
    model: &RbacModel,
    decision: &Decision,
    notes: &[String],
) -> io::Result<()> {
    writeln!(out, "{}", if decision.allowed { "yes" } else { "no" })?;
    for reason in &decision.reasons {
        writeln!(out, "  via {}", describe_reason(model, reason))?;
    }
    write_notes(out, notes)
}

/// Every subject allowed the request, each with the grants that allow it.
pub fn write_who_can(
    out: &mut dyn Write,
    model: &RbacModel,
    request: &Request,
    allowed: &[AllowedSubject],
    notes: &[String],
) -> io::Result<()> {
    writeln!(out, "who can {request}:")?;
    for entry in allowed {
        writeln!(out, "{}", display_subject(&entry.subject))?;
        for reason in &entry.via {
            writeln!(out, "  via {}", describe_reason(model, reason))?;
        }
    }
    write_notes(out, notes)
}

fn write_notes(out: &mut dyn Write, notes: &[String]) -> io::Result<()> {
    for note in notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
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

fn display_subject(subject: &Subject) -> String {
    match subject.kind {
        SubjectKind::ServiceAccount => {
            format!("ServiceAccount {}/{}", subject.namespace, subject.name)
        }
        kind => format!("{} {}", kind.as_str(), subject.name),
    }
}

pub fn write_permissions(
    out: &mut dyn Write,
    model: &RbacModel,
    report: &PermissionsReport,
    scopes: &[ScopedGrants],
) -> io::Result<()> {
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
    Ok(())
}

pub fn write_escalations(
    out: &mut dyn Write,
    model: &RbacModel,
    target: Jewel,
    paths: &[EscalationPath],
) -> io::Result<()> {
    if paths.is_empty() {
        writeln!(out, "no identity can escalate to {}", target.as_str())?;
    }
    for path in paths {
        let count = path.steps.len();
        writeln!(
            out,
            "{} reaches {} in {count} step{}:",
            display_subject(&path.subject),
            target.as_str(),
            if count == 1 { "" } else { "s" }
        )?;
        for (number, step) in path.steps.iter().enumerate() {
            let place = step
                .namespace
                .as_deref()
                .map_or("cluster-wide".to_owned(), |ns| format!("in namespace {ns}"));
            writeln!(
                out,
                "  {}. {} [{} {}] {place}",
                number + 1,
                step.technique.name,
                step.technique.code,
                step.technique.slug
            )?;
            for (permission, reason) in step_permissions(step) {
                writeln!(out, "     {permission}")?;
                writeln!(out, "       via {}", describe_reason(model, &reason))?;
            }
            writeln!(out, "     {}", step.how)?;
            match &step.becomes {
                Some(subject) => writeln!(out, "     -> becomes {}", display_subject(subject))?,
                None => writeln!(out, "     -> {}", target.as_str())?,
            }
        }
    }
    Ok(())
}
