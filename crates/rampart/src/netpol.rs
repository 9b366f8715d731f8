//! `rampart netpol connlist | reach`: who may connect to whom, computed from the manifests'
//! network policies, in the notation of np-guard's netpol-analyzer so the results compare
//! directly; and for one pair, which policies and rules decide it.

use anyhow::{Result, anyhow, bail};
use rampart_core::Location;
use rampart_k8s::netpol::{
    Analysis, Connection, ConnectionSet, Decision, Direction, PeerName, PolicyRef, PortSpec,
    Protocol, Reach, ReachPeer, RuleRef, Side, focus, format_csv, format_dot, format_md,
    format_txt,
};
use rampart_k8s::rbac::DiagnosticLevel;
use rampart_source::Object;
use serde::Serialize;

use crate::cli::{ConnlistArgs, ConnlistFormat, InputArgs, ReachArgs, ReachFormat};
use crate::scan::{read, targets, write_output};

/// One connection as netpol-analyzer's JSON writes it.
#[derive(Serialize)]
struct ConnectionJson {
    src: String,
    dst: String,
    conn: String,
}

impl From<&Connection> for ConnectionJson {
    fn from(connection: &Connection) -> ConnectionJson {
        ConnectionJson {
            src: connection.source.to_string(),
            dst: connection.destination.to_string(),
            conn: connection.allowed.to_string(),
        }
    }
}

/// Reads the input and analyses it; unreadable files and policy problems go to standard error.
fn load(input: &InputArgs) -> Result<Analysis> {
    let inventory = read(&targets(input), input)?;
    for error in &inventory.errors {
        let line = error.line.map(|l| format!(":{l}")).unwrap_or_default();
        eprintln!("error: {}{line}: {}", error.path, error.message);
    }
    let (analysis, diagnostics) = Analysis::new(inventory.all::<Object>());
    for d in &diagnostics {
        let level = match d.level {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
        };
        eprintln!("{level}: {}:{}: {}", d.path, d.line, d.message);
    }
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
            ConnlistFormat::Json => {
                let mut rows: Vec<ConnectionJson> =
                    connections.iter().map(ConnectionJson::from).collect();
                // The order of the txt lines.
                rows.sort_by(|a, b| (&a.src, &a.dst).cmp(&(&b.src, &b.dst)));
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)
            }
        }
    })?;
    Ok(false)
}

/// The connections `--port` asks about: a number or a named port of the destination, with its
/// protocol (TCP when left out).
fn wanted_port(text: &str, analysis: &Analysis, destination: ReachPeer) -> Result<ConnectionSet> {
    let (port, protocol) = match text.split_once('/') {
        Some((port, protocol)) => {
            let protocol = Protocol::parse(&protocol.to_ascii_uppercase())
                .ok_or_else(|| anyhow!("`{text}`: the protocol is TCP, UDP or SCTP"))?;
            (port, protocol)
        }
        None => (text, Protocol::Tcp),
    };
    if let Ok(number) = port.parse::<u64>() {
        if !(1..=65535).contains(&number) {
            bail!("`{text}`: a port is a number from 1 to 65535");
        }
        return Ok(ConnectionSet::ports(protocol, number, number));
    }
    let ReachPeer::Workload(index) = destination else {
        bail!("`{text}`: a named port needs a workload as the destination");
    };
    let named = PortSpec::Named {
        protocol: Some(protocol),
        name: port.to_owned(),
    };
    let set = named.resolve(&analysis.topology.pods[index].named_ports);
    if set.is_empty() {
        bail!(
            "`{text}`: the destination declares no {} port named `{port}`",
            protocol.name()
        );
    }
    Ok(set)
}

/// A peer as `reach` names it: a single address without the range notation.
fn peer_text(peer: &PeerName) -> String {
    match peer {
        PeerName::External(range) if range.start == range.end => {
            format!("{}[External]", range.first())
        }
        other => other.to_string(),
    }
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

#[derive(Serialize)]
struct LocatedJson {
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    name: String,
    path: String,
    line: u32,
}

#[derive(Serialize)]
struct RuleJson {
    index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    path: String,
    line: u32,
}

#[derive(Serialize)]
struct DecisionJson {
    layer: &'static str,
    effect: &'static str,
    connections: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<LocatedJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<RuleJson>,
}

#[derive(Serialize)]
struct SideJson {
    peer: String,
    governed: bool,
    allowed: String,
    decisions: Vec<DecisionJson>,
}

#[derive(Serialize)]
struct ReachJson {
    source: String,
    destination: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    port: Option<String>,
    allowed: bool,
    connections: String,
    egress: SideJson,
    ingress: SideJson,
}

fn side_json(side: &Side) -> SideJson {
    SideJson {
        peer: peer_text(&side.peer),
        governed: side.governed,
        allowed: side.allowed.to_string(),
        decisions: side
            .decisions
            .iter()
            .map(|d| DecisionJson {
                layer: d.layer.name(),
                effect: d.effect.name(),
                connections: d.connections.to_string(),
                policy: d.policy.as_ref().map(|p| LocatedJson {
                    kind: p.kind.clone(),
                    namespace: p.namespace.clone(),
                    name: p.name.clone(),
                    path: p.location.path.to_string(),
                    line: p.location.line,
                }),
                rule: d.rule.as_ref().map(|r| RuleJson {
                    index: r.index,
                    name: r.name.clone(),
                    path: r.location.path.to_string(),
                    line: r.location.line,
                }),
            })
            .collect(),
    }
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
    let wanted = match &args.port {
        Some(port) => Some(wanted_port(port, &analysis, destination)?),
        None => None,
    };
    let reach: Reach = analysis
        .reach(source, destination)
        .map_err(|e| anyhow!("{e}"))?;
    let reach = match &wanted {
        Some(wanted) => reach.restricted(wanted),
        None => reach,
    };
    // With a port, all of it must be open; without, any connection counts.
    let allowed = match &wanted {
        Some(wanted) => reach.allowed == *wanted,
        None => !reach.allowed.is_empty(),
    };
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            ReachFormat::Txt => {
                let verdict = if allowed { "allowed" } else { "denied" };
                let asked = wanted
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
            ReachFormat::Json => {
                let json = ReachJson {
                    source: peer_text(&reach.source),
                    destination: peer_text(&reach.destination),
                    port: wanted.as_ref().map(ToString::to_string),
                    allowed,
                    connections: reach.allowed.to_string(),
                    egress: side_json(&reach.egress),
                    ingress: side_json(&reach.ingress),
                };
                serde_json::to_writer_pretty(&mut *out, &json)?;
                writeln!(out)
            }
        }
    })?;
    Ok(!allowed)
}
