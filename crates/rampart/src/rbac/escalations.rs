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
use rampart_k8s::rbac::escalation::{ClusterFacts, EscalationGraph, EscalationPath, Jewel};
use rampart_scan::rbac::{EscalationsReport, step_permissions};

use super::{describe_reason, display_subject, load_with_objects, write_notes_and_diagnostics};
use crate::cli::{EscalationTarget, EscalationsArgs, RbacFormat};
use crate::scan::write_output;
use crate::write_json;

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
            RbacFormat::Json => write_json(out, &EscalationsReport::new(&model, target, &paths)),
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
            writeln!(out, "     {}", step.how)?;
            match &step.becomes {
                Some(subject) => writeln!(out, "     -> becomes {}", display_subject(subject))?,
                None => writeln!(out, "     -> {}", target.as_str())?,
            }
        }
    }
    write_notes_and_diagnostics(out, &[], model.diagnostics())
}
