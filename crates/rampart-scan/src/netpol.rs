//! The answers of `rampart netpol connlist | reach`, assembled from the NetworkPolicy analysis;
//! the shape of their JSON, as `docs/json-netpol.md` documents it.

use std::io::{self, Write};

use rampart_core::Location;
use rampart_k8s::netpol::{
    Analysis, Connection, ConnectionSet, Decision, Direction, Layer, PeerName, PolicyRef, PortSpec,
    Protocol, Reach, ReachPeer, RuleRef, Side,
};
use serde::Serialize;

/// The version of the contract of `netpol reach`'s JSON; raised by a change that breaks its
/// readers. (`connlist`'s JSON is netpol-analyzer's format and follows that tool.)
pub const SCHEMA_VERSION: u32 = 1;

/// One connection as netpol-analyzer's JSON writes it.
#[derive(Serialize)]
pub struct ConnectionRow {
    pub src: String,
    pub dst: String,
    pub conn: String,
}

/// The rows of `connlist --format json`, in the order of the txt lines.
pub fn connection_rows(connections: &[Connection]) -> Vec<ConnectionRow> {
    let mut rows: Vec<ConnectionRow> = connections
        .iter()
        .map(|connection| ConnectionRow {
            src: connection.source.to_string(),
            dst: connection.destination.to_string(),
            conn: connection.allowed.to_string(),
        })
        .collect();
    rows.sort_by(|a, b| (&a.src, &a.dst).cmp(&(&b.src, &b.dst)));
    rows
}

/// Whether one peer may connect to another, and which policies decide it on each side.
pub struct ReachAnswer {
    /// Restricted to the connections asked about, when a port was.
    pub reach: Reach,
    /// The connections asked about; `None`: any.
    pub wanted: Option<ConnectionSet>,
    /// With a port, all of it must be open; without, any connection counts.
    pub allowed: bool,
}

/// Explains the connection from `source` to `destination`, on `port` (a number or a named port
/// of the destination, with `/PROTOCOL` when not TCP) or on any.
pub fn reach(
    analysis: &Analysis,
    source: ReachPeer,
    destination: ReachPeer,
    port: Option<&str>,
) -> Result<ReachAnswer, String> {
    let wanted = match port {
        Some(port) => Some(wanted_port(port, analysis, destination)?),
        None => None,
    };
    let reach = analysis.reach(source, destination)?;
    let reach = match &wanted {
        Some(wanted) => reach.restricted(wanted),
        None => reach,
    };
    let allowed = match &wanted {
        Some(wanted) => reach.allowed == *wanted,
        None => !reach.allowed.is_empty(),
    };
    Ok(ReachAnswer {
        reach,
        wanted,
        allowed,
    })
}

/// The connections `--port` asks about, TCP when the protocol is left out.
fn wanted_port(
    text: &str,
    analysis: &Analysis,
    destination: ReachPeer,
) -> Result<ConnectionSet, String> {
    let (port, protocol) = match text.split_once('/') {
        Some((port, protocol)) => {
            let protocol = Protocol::parse(&protocol.to_ascii_uppercase())
                .ok_or_else(|| format!("`{text}`: the protocol is TCP, UDP or SCTP"))?;
            (port, protocol)
        }
        None => (text, Protocol::Tcp),
    };
    if let Ok(number) = port.parse::<u64>() {
        if !(1..=65535).contains(&number) {
            return Err(format!("`{text}`: a port is a number from 1 to 65535"));
        }
        return Ok(ConnectionSet::ports(protocol, number, number));
    }
    let ReachPeer::Workload(index) = destination else {
        return Err(format!(
            "`{text}`: a named port needs a workload as the destination"
        ));
    };
    let named = PortSpec::Named {
        protocol: Some(protocol),
        name: port.to_owned(),
    };
    let set = named.resolve(&analysis.topology.pods[index].named_ports);
    if set.is_empty() {
        return Err(format!(
            "`{text}`: the destination declares no {} port named `{port}`",
            protocol.name()
        ));
    }
    Ok(set)
}

/// A peer as `reach` names it: a single address without the range notation.
pub fn peer_text(peer: &PeerName) -> String {
    match peer {
        PeerName::External(range) if range.start == range.end => {
            format!("{}[External]", range.first())
        }
        other => other.to_string(),
    }
}

/// A policy or rule, where it is declared.
#[derive(Serialize)]
pub struct PolicyEntry {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
    pub path: String,
    pub line: u32,
}

#[derive(Serialize)]
pub struct RuleEntry {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub path: String,
    pub line: u32,
}

/// What one policy layer decides about a part of the connection.
#[derive(Serialize)]
pub struct DecisionEntry {
    pub layer: &'static str,
    pub effect: &'static str,
    pub connections: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleEntry>,
}

/// What one end's policies say.
#[derive(Serialize)]
pub struct SideEntry {
    pub peer: String,
    pub governed: bool,
    pub allowed: String,
    pub decisions: Vec<DecisionEntry>,
}

/// `netpol reach`'s JSON.
#[derive(Serialize)]
pub struct ReachReport {
    pub schema_version: u32,
    pub source: String,
    pub destination: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    pub allowed: bool,
    pub connections: String,
    pub egress: SideEntry,
    pub ingress: SideEntry,
}

impl ReachReport {
    pub fn new(answer: &ReachAnswer) -> ReachReport {
        let reach = &answer.reach;
        ReachReport {
            schema_version: SCHEMA_VERSION,
            source: peer_text(&reach.source),
            destination: peer_text(&reach.destination),
            port: answer.wanted.as_ref().map(ToString::to_string),
            allowed: answer.allowed,
            connections: reach.allowed.to_string(),
            egress: side_entry(&reach.egress),
            ingress: side_entry(&reach.ingress),
        }
    }
}

fn side_entry(side: &Side) -> SideEntry {
    SideEntry {
        peer: peer_text(&side.peer),
        governed: side.governed,
        allowed: side.allowed.to_string(),
        decisions: side
            .decisions
            .iter()
            .map(|d| DecisionEntry {
                layer: d.layer.name(),
                effect: d.effect.name(),
                connections: d.connections.to_string(),
                policy: d.policy.as_ref().map(|p| PolicyEntry {
                    kind: p.kind.clone(),
                    namespace: p.namespace.clone(),
                    name: p.name.clone(),
                    path: p.location.path.to_string(),
                    line: p.location.line,
                }),
                rule: d.rule.as_ref().map(|r| RuleEntry {
                    index: r.index,
                    name: r.name.clone(),
                    path: r.location.path.to_string(),
                    line: r.location.line,
                }),
            })
            .collect(),
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
        (Some(policy), None) if decision.layer == Layer::Ingress => {
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

/// The answer of `rampart netpol reach` in words: the verdict, then what decided each side.
pub fn write_reach_text(out: &mut dyn Write, answer: &ReachAnswer) -> io::Result<()> {
    let reach = &answer.reach;
    let verdict = if answer.allowed { "allowed" } else { "denied" };
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
