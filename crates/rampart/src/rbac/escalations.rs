//! `rampart rbac escalations`: every identity of the input that can make itself
//! cluster-admin (or reach another crown jewel), with the shortest chain of techniques.
//!
//! Exit code 1 when at least one path is found. A path is only reported for an identity the
//! input names (a binding subject, a ServiceAccount, a workload's service account) or that
//! every cluster has (anonymous, any authenticated user), and only when it does not hold the
//! target already: an identity bound to cluster-admin, or in system:masters, is an admin, not
//! an escalation (`rampart rbac who-can '*' '*'` lists those).

use std::io::Write;

use anyhow::Result;
use rampart_k8s::rbac::escalation::{ClusterFacts, EscalationGraph, EscalationPath, Jewel, Step};
use rampart_k8s::rbac::{MASTERS, Reason, Subject};
use serde::Serialize;

use super::{
    DiagnosticJson, ReasonJson, describe_reason, diagnostics_json, display_subject,
    load_with_objects, reason_json, write_notes_and_diagnostics,
};
use crate::cli::{EscalationTarget, EscalationsArgs, RbacFormat};
use crate::scan::write_output;

#[derive(Serialize)]
struct SubjectRefJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    namespace: String,
    name: String,
}

#[derive(Serialize)]
struct PermissionJson {
    permission: String,
    via: ReasonJson,
}

#[derive(Serialize)]
struct StepJson {
    technique: &'static str,
    code: &'static str,
    name: &'static str,
    /// MITRE ATT&CK technique ids.
    mitre: &'static [&'static str],
    /// `null`: cluster-wide.
    namespace: Option<String>,
    /// The request that uses the technique, and the grant that allows it.
    #[serde(flatten)]
    permission: PermissionJson,
    /// The other requests the technique needs together with the first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    with: Vec<PermissionJson>,
    /// The identity the step leads to; `null` for the step that reaches the target.
    becomes: Option<SubjectRefJson>,
}

#[derive(Serialize)]
struct PathJson {
    subject: SubjectRefJson,
    steps: Vec<StepJson>,
    reaches: &'static str,
}

#[derive(Serialize)]
struct EscalationsReport {
    target: &'static str,
    paths: Vec<PathJson>,
    diagnostics: Vec<DiagnosticJson>,
}

fn subject_json(subject: &Subject) -> SubjectRefJson {
    SubjectRefJson {
        kind: subject.kind.as_str(),
        namespace: subject.namespace.clone(),
        name: subject.name.clone(),
    }
}

/// Each request of a step with its first reason; membership of system:masters is a step with
/// no request.
fn step_permissions(step: &Step) -> Vec<(String, Reason)> {
    if step.permissions.is_empty() {
        return vec![(format!("member of {MASTERS}"), Reason::PrivilegedGroup)];
    }
    step.permissions
        .iter()
        .map(|(request, reasons)| (request.to_string(), reasons[0]))
        .collect()
}

fn path_json(model: &rampart_k8s::rbac::RbacModel, path: &EscalationPath) -> PathJson {
    PathJson {
        subject: subject_json(&path.subject),
        steps: path
            .steps
            .iter()
            .map(|step| {
                let mut permissions =
                    step_permissions(step)
                        .into_iter()
                        .map(|(permission, reason)| PermissionJson {
                            permission,
                            via: reason_json(model, &reason),
                        });
                let first = permissions.next().expect("a step uses a permission");
                StepJson {
                    technique: step.technique.slug,
                    code: step.technique.code,
                    name: step.technique.name,
                    mitre: step.technique.mitre,
                    namespace: step.namespace.clone(),
                    permission: first,
                    with: permissions.collect(),
                    becomes: step.becomes.as_ref().map(subject_json),
                }
            })
            .collect(),
        reaches: path.reaches.as_str(),
    }
}

fn jewel(target: EscalationTarget) -> Jewel {
    match target {
        EscalationTarget::ClusterAdmin => Jewel::ClusterAdmin,
        EscalationTarget::Secrets => Jewel::Secrets,
        EscalationTarget::Nodes => Jewel::Nodes,
    }
}

/// `rampart rbac escalations`; returns true (exit 1) when a path exists.
pub fn escalations(args: &EscalationsArgs) -> Result<bool> {
    let (objects, model) = load_with_objects(&args.model)?;
    let target = jewel(args.target);
    let paths = EscalationGraph::new(&model, &ClusterFacts::of(&objects)).paths(target);
    write_output(
        args.model.input.output.as_deref(),
        |out, _color| match args.model.format {
            RbacFormat::Json => {
                let report = EscalationsReport {
                    target: target.as_str(),
                    paths: paths.iter().map(|p| path_json(&model, p)).collect(),
                    diagnostics: diagnostics_json(&model),
                };
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            RbacFormat::Table => write_table(out, &model, target, &paths),
        },
    )?;
    Ok(!paths.is_empty())
}

fn write_table(
    out: &mut dyn Write,
    model: &rampart_k8s::rbac::RbacModel,
    target: Jewel,
    paths: &[EscalationPath],
) -> std::io::Result<()> {
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
            match &step.becomes {
                Some(subject) => writeln!(out, "     -> becomes {}", display_subject(subject))?,
                None => writeln!(out, "     -> {}", target.as_str())?,
            }
        }
    }
    write_notes_and_diagnostics(out, &[], model.diagnostics())
}
