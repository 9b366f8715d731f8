//! `rampart rbac can-i | who-can | permissions | escalations`: RBAC questions answered from the
//! manifests, with the binding, role and rule behind every answer.
//!
//! `escalations` exits 1 when at least one path is found. A path is only reported for an
//! identity the input names (a binding subject, a ServiceAccount, a workload's service account)
//! or that every cluster has (anonymous, any authenticated user), and only when it does not hold
//! the target already: an identity bound to cluster-admin, or in system:masters, is an admin,
//! not an escalation (`rampart rbac who-can '*' '*'` lists those).

use std::io::{self, Write};

use anyhow::Result;
use rampart_k8s::rbac::escalation::{ClusterFacts, EscalationGraph, Jewel};
use rampart_k8s::rbac::{RbacModel, RbacOptions, Request, identity_of, parse_subject};
use rampart_scan::rbac::{
    CanIReport, EscalationsReport, PermissionsReport, RequestQuery, WhoCanReport, request, text,
};
use rampart_source::Object;

use crate::cli::{
    AnswerFormat, CanIArgs, EscalationTarget, EscalationsArgs, PermissionsArgs, RbacModelArgs,
    RequestArgs, WhoCanArgs,
};
use crate::scan::{read, targets};
use crate::{eprint_diagnostics, write_json};
use rampart_report::write_output;

/// Loads the inputs and builds the model, keeping the objects.
fn load(model_args: &RbacModelArgs) -> Result<(Vec<Object>, RbacModel)> {
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

/// Writes the answer as `--format` says. The JSON carries the input's problems; with the
/// text they go to standard error, so that standard output holds only the answer.
fn answer(
    args: &RbacModelArgs,
    model: &RbacModel,
    json: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            AnswerFormat::Json => json(out),
            AnswerFormat::Table => {
                let written = text(out);
                eprint_diagnostics(model.diagnostics());
                written
            }
        }
    })
}

/// `rampart rbac can-i`; returns true (exit 1) when the request is denied.
pub fn can_i(args: &CanIArgs) -> Result<bool> {
    let subject = parse_subject(&args.subject).map_err(anyhow::Error::msg)?;
    let identity = identity_of(&subject, &args.as_group);
    let (request, notes) = build_request(&args.request)?;
    let (_, model) = load(&args.model)?;
    let decision = model.can_i(&identity, &request);
    answer(
        &args.model,
        &model,
        |out| {
            let report = CanIReport::new(&model, &subject, &request, &decision, &notes);
            write_json(out, &report)
        },
        |out| text::write_can_i(out, &model, &decision, &notes),
    )?;
    Ok(!decision.allowed)
}

/// `rampart rbac who-can`.
pub fn who_can(args: &WhoCanArgs) -> Result<bool> {
    let (request, notes) = build_request(&args.request)?;
    let (_, model) = load(&args.model)?;
    let allowed = model.who_can(&request);
    answer(
        &args.model,
        &model,
        |out| write_json(out, &WhoCanReport::new(&model, &request, &allowed, &notes)),
        |out| text::write_who_can(out, &model, &request, &allowed, &notes),
    )?;
    Ok(false)
}

/// `rampart rbac permissions`.
pub fn permissions(args: &PermissionsArgs) -> Result<bool> {
    let subject = parse_subject(&args.subject).map_err(anyhow::Error::msg)?;
    let identity = identity_of(&subject, &args.as_group);
    let (_, model) = load(&args.model)?;
    let scopes = model.permissions(&identity);
    let report = PermissionsReport::new(&model, &subject, &identity, &scopes);
    answer(
        &args.model,
        &model,
        |out| write_json(out, &report),
        |out| text::write_permissions(out, &model, &report, &scopes),
    )?;
    Ok(false)
}

/// `rampart rbac escalations`; returns true (exit 1) when a path exists.
pub fn escalations(args: &EscalationsArgs) -> Result<bool> {
    let (objects, model) = load(&args.model)?;
    let target = match args.target {
        EscalationTarget::ClusterAdmin => Jewel::ClusterAdmin,
        EscalationTarget::Secrets => Jewel::Secrets,
        EscalationTarget::Nodes => Jewel::Nodes,
    };
    let paths = EscalationGraph::new(&model, &ClusterFacts::of(&objects)).paths(target);
    answer(
        &args.model,
        &model,
        |out| write_json(out, &EscalationsReport::new(&model, target, &paths)),
        |out| text::write_escalations(out, &model, target, &paths),
    )?;
    Ok(!paths.is_empty())
}
