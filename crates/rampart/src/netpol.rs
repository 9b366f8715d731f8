//! `rampart netpol connlist | reach`: who may connect to whom, computed from the manifests'
//! network policies, in the notation of np-guard's netpol-analyzer so the results compare
//! directly; and for one pair, which policies and rules decide it.

use anyhow::{Result, anyhow};
use rampart_core::Location;
use rampart_k8s::netpol::{
    Analysis, Decision, Direction, PeerName, PolicyRef, RuleRef, Side, focus, format_csv,
    format_dot, format_md, format_txt,
};
use rampart_scan::netpol::{ReachReport, connection_rows, peer_text};
use rampart_source::Object;

use crate::cli::{ConnlistArgs, ConnlistFormat, InputArgs, ReachArgs, ReachFormat};
use crate::scan::{read, targets, write_output};
use crate::{eprint_diagnostics, write_json};

/// Reads the input and analyses it; unreadable files and policy problems go to standard error.
fn load(input: &InputArgs) -> Result<Analysis> {
    let inventory = read(&targets(input), input)?;
    eprint_diagnostics(&inventory.errors);
    let (analysis, diagnostics) = Analysis::new(inventory.all::<Object>());
    eprint_diagnostics(&diagnostics);
    Ok(analysis)
}

/// Prints the connectivity list. Never reports findings, so it exits 0 unless the input cannot
/// be read.
pub fn connlist(args: &ConnlistArgs) -> Result<bool> {
    let analysis = load(&args.input)?;
    let workloads = analysis.workloads();
    let has_ingress = !analysis.ingress_routes.is_empty();
    for name in &args.focus_workload {
        let known = workloads.iter().any(|w| w.is_named(name))
            || (has_ingress && PeerName::IngressController.is_named(name));
        if !known {
            eprintln!("warning: workload `{name}` is not in the input; it has no connections");
        }
    }
    let connections = focus(&analysis.connlist(), &args.focus_workload);
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            ConnlistFormat::Txt => out.write_all(format_txt(&connections).as_bytes()),
            ConnlistFormat::Csv => out.write_all(format_csv(&connections).as_bytes()),
            ConnlistFormat::Md => out.write_all(format_md(&connections).as_bytes()),
            ConnlistFormat::Dot => {
                // Every workload is drawn, or with a focus, the focused ones.
                let drawn: Vec<PeerName> = workloads
                    .iter()
                    .filter(|w| {
                        args.focus_workload.is_empty()
                            || args.focus_workload.iter().any(|name| w.is_named(name))
                    })
                    .cloned()
                    .collect();
                out.write_all(format_dot(&connections, &drawn).as_bytes())
            }
            ConnlistFormat::Json => write_json(out, &connection_rows(&connections)),
        }
    })?;
    Ok(false)
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}

fn at(location: &Location) -> String {
    format!("{}:{}", location.path, location.line)
}

fn policy_text(policy: &PolicyRef) -> String {
    let namespace = policy
        .namespace
        .as_deref()
        .map(|ns| format!("{ns}/"))
        .unwrap_or_default();
    format!(
        "{} {namespace}{} ({})",
        policy.kind,
        policy.name,
        at(&policy.location)
    )
}

/// What decided one part of the connection, in words.
fn decision_text(decision: &Decision, side: &Side) -> String {
    let rule_text = |rule: &RuleRef| {
        let name = rule
            .name
            .as_deref()
            .map(|n| format!(" `{n}`"))
            .unwrap_or_default();
        format!(
            "{} rule {}{name} ({})",
            direction_name(side.direction),
            rule.index,
            at(&rule.location)
        )
    };
    match (&decision.policy, &decision.rule) {
        (Some(policy), Some(rule)) => format!("{}, {}", policy_text(policy), rule_text(rule)),
        (Some(policy), None) if decision.layer == rampart_k8s::netpol::Layer::Ingress => {
            format!("exposed by {}", policy_text(policy))
        }
        (Some(policy), None) => format!(
            "{} isolates {} for {}; no rule of it allows these",
            policy_text(policy),
            peer_text(&side.peer),
            direction_name(side.direction)
        ),
        (None, _) => "no policy decides it: allowed by default".to_owned(),
    }
}

fn side_text(side: &Side) -> String {
    let mut out = format!(
        "{} of {}: {}\n",
        direction_name(side.direction),
        peer_text(&side.peer),
        side.allowed
    );
    if !side.governed {
        out.push_str("  outside the cluster: no policy applies\n");
    }
    if side.governed && side.decisions.is_empty() {
        out.push_str("  nothing opens it\n");
    }
    for decision in &side.decisions {
        out.push_str(&format!(
            "  {:<5} {}: {}\n",
            decision.effect.name(),
            decision.connections,
            decision_text(decision, side)
        ));
    }
    out
}

/// Explains whether `--from` may connect to `--to`; returns true (exit 1) when it may not.
pub fn reach(args: &ReachArgs) -> Result<bool> {
    let analysis = load(&args.input)?;
    let source = analysis
        .find_peer(&args.from)
        .map_err(|e| anyhow!("--from: {e}"))?;
    let destination = analysis
        .find_peer(&args.to)
        .map_err(|e| anyhow!("--to: {e}"))?;
    let answer = rampart_scan::netpol::reach(&analysis, source, destination, args.port.as_deref())
        .map_err(anyhow::Error::msg)?;
    let (reach, allowed) = (&answer.reach, answer.allowed);
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            ReachFormat::Txt => {
                let verdict = if allowed { "allowed" } else { "denied" };
                let asked = answer
                    .wanted
                    .as_ref()
                    .map(|w| format!(" on {w}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{} => {}{asked}: {verdict} ({})",
                    peer_text(&reach.source),
                    peer_text(&reach.destination),
                    reach.allowed
                )?;
                out.write_all(side_text(&reach.egress).as_bytes())?;
                out.write_all(side_text(&reach.ingress).as_bytes())
            }
            ReachFormat::Json => write_json(out, &ReachReport::new(&answer)),
        }
    })?;
    Ok(!allowed)
}
