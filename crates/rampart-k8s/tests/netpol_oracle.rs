//! The NetworkPolicy engine against np-guard's netpol-analyzer: for every scenario of the
//! shared oracle, rampart's connectivity list must equal the expected one semantically (same
//! peer pairs, same protocol/port sets, external addresses compared address by address, in any
//! order and any split into ranges).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rampart_k8s::netpol::{
    Action, AddressRange, Analysis, ConnectionSet, Direction, Endpoint, Family, Protocol, Reach,
    ReachPeer,
};
use rampart_source::{LoadOptions, Object, Target, load};
use rampart_test_support::shared;

/// Inclusive address ranges with the connections allowed to or from each.
type Pieces = Vec<(u128, u128, String)>;

/// A connection list reduced to what it means: connections between named peers, and for each
/// (direction, named peer, address family) the external addresses as (start, end, connections)
/// pieces.
#[derive(Debug, Default)]
struct Meaning {
    named: BTreeMap<(String, String), String>,
    external: BTreeMap<(&'static str, String, Family), Pieces>,
}

fn parse_connections(text: &str) -> Result<ConnectionSet, String> {
    if text == "All Connections" {
        return Ok(ConnectionSet::all());
    }
    let mut set = ConnectionSet::none();
    let mut protocol = None;
    for token in text.split(',') {
        let (name, ports) = match token.split_once(' ') {
            Some((name, ports)) => (Some(name), Some(ports)),
            None if Protocol::parse(token).is_some() => (Some(token), None),
            None => (None, Some(token)),
        };
        if let Some(name) = name {
            protocol =
                Some(Protocol::parse(name).ok_or_else(|| format!("unknown protocol in `{text}`"))?);
        }
        let protocol = protocol.ok_or_else(|| format!("ports before a protocol in `{text}`"))?;
        let (start, end) = match ports {
            None => (1, 65535),
            Some(ports) => {
                let (start, end) = ports.split_once('-').unwrap_or((ports, ports));
                let number = |s: &str| {
                    s.parse::<u64>()
                        .map_err(|_| format!("bad port in `{text}`"))
                };
                (number(start)?, number(end)?)
            }
        };
        set = set.union(&ConnectionSet::ports(protocol, start, end));
    }
    Ok(set)
}

fn meaning(text: &str) -> Result<Meaning, String> {
    let mut meaning = Meaning::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (pair, connections) = line
            .split_once(" : ")
            .ok_or_else(|| format!("no ` : ` in `{line}`"))?;
        let (source, destination) = pair
            .split_once(" => ")
            .ok_or_else(|| format!("no ` => ` in `{line}`"))?;
        // Both lists must be in the canonical notation, so the text itself must round-trip.
        let canonical = parse_connections(connections)?.to_string();
        if canonical != connections {
            return Err(format!("`{connections}` is not written as `{canonical}`"));
        }
        let connections = canonical;
        let external = |peer: &str| peer.strip_suffix("[External]").map(AddressRange::parse);
        match (external(source), external(destination)) {
            (Some(Some(range)), None) => meaning
                .external
                .entry(("ingress", destination.to_owned(), range.family))
                .or_default()
                .push((range.start, range.end, connections)),
            (None, Some(Some(range))) => meaning
                .external
                .entry(("egress", source.to_owned(), range.family))
                .or_default()
                .push((range.start, range.end, connections)),
            (None, None) => {
                meaning
                    .named
                    .insert((source.to_owned(), destination.to_owned()), connections);
            }
            _ => return Err(format!("unreadable peers in `{line}`")),
        }
    }
    Ok(meaning)
}

/// What the pieces say about `address`, "" when no piece covers it.
fn at(pieces: &[(u128, u128, String)], address: u128) -> &str {
    pieces
        .iter()
        .find(|(start, end, _)| (*start..=*end).contains(&address))
        .map_or("", |(_, _, connections)| connections)
}

/// The differences between expected and actual, one line each; empty when they agree.
fn differences(expected: &Meaning, actual: &Meaning) -> Vec<String> {
    let mut out = Vec::new();
    let pairs: BTreeSet<_> = expected.named.keys().chain(actual.named.keys()).collect();
    for pair in pairs {
        let (want, got) = (expected.named.get(pair), actual.named.get(pair));
        if want != got {
            out.push(format!(
                "{} => {} : expected {}, got {}",
                pair.0,
                pair.1,
                want.map_or("nothing", String::as_str),
                got.map_or("nothing", String::as_str)
            ));
        }
    }
    let none = Vec::new();
    let keys: BTreeSet<_> = expected
        .external
        .keys()
        .chain(actual.external.keys())
        .collect();
    // netpol-analyzer does not analyse IPv6 (it warns and leaves IPv6 blocks out), so a list
    // without IPv6 ranges says nothing about them; rampart's own tests check IPv6.
    let expects_ipv6 = expected.external.keys().any(|k| k.2 == Family::V6);
    for key in keys
        .into_iter()
        .filter(|k| expects_ipv6 || k.2 == Family::V4)
    {
        let want = expected.external.get(key).unwrap_or(&none);
        let got = actual.external.get(key).unwrap_or(&none);
        let mut cuts: Vec<u128> = want
            .iter()
            .chain(got)
            .flat_map(|(s, e, _)| [*s, e.saturating_add(1)])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        for window in cuts.windows(2) {
            let (w, g) = (at(want, window[0]), at(got, window[0]));
            if w != g {
                out.push(format!(
                    "{} {} {}[External] : expected {}, got {}",
                    key.1,
                    if key.0 == "ingress" { "<=" } else { "=>" },
                    AddressRange {
                        family: key.2,
                        start: window[0],
                        end: window[1] - 1
                    },
                    if w.is_empty() { "nothing" } else { w },
                    if g.is_empty() { "nothing" } else { g },
                ));
            }
        }
    }
    out
}

fn run_scenario(folder: PathBuf, expected_file: &Path) -> Result<Vec<String>, String> {
    let inventory =
        load(&[Target::Path(folder)], &LoadOptions::default()).map_err(|e| e.to_string())?;
    let (analysis, _diagnostics) = Analysis::new(inventory.all::<Object>());
    let actual = rampart_k8s::netpol::format_txt(&analysis.connlist());
    let expected = std::fs::read_to_string(expected_file).map_err(|e| e.to_string())?;
    Ok(differences(&meaning(&expected)?, &meaning(&actual)?))
}

#[test]
fn every_scenario_agrees_with_netpol_analyzer() {
    let Some(oracle) = shared("oracles/netpol-analyzer") else {
        return;
    };
    let expected_dir = oracle.join("expected");
    let mut scenarios: Vec<(String, PathBuf)> = std::fs::read_dir(&expected_dir)
        .expect("the netpol-analyzer oracle is in ../shared/oracles")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let file = path.file_name()?.to_str()?;
            let name = file.strip_suffix("_connlist_output.txt")?.to_owned();
            Some((name, path))
        })
        .collect();
    scenarios.sort();
    assert!(
        !scenarios.is_empty(),
        "no scenarios under {}",
        expected_dir.display()
    );

    let mut failures = Vec::new();
    let mut agreeing = 0;
    for (name, expected_file) in &scenarios {
        match run_scenario(oracle.join("scenarios").join(name), expected_file) {
            Ok(diffs) if diffs.is_empty() => agreeing += 1,
            Ok(diffs) => {
                let shown: Vec<_> = diffs.iter().take(20).map(|d| format!("    {d}")).collect();
                failures.push(format!(
                    "{name}: {} difference(s)\n{}",
                    diffs.len(),
                    shown.join("\n")
                ));
            }
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    println!("{agreeing} of {} scenarios agree", scenarios.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Checks that an explanation is sound: each side allows the union of what its Allow
/// decisions allow, no two decisions of a side decide the same connection unless both allow
/// it, and both sides together allow `expected`. Returns what is wrong.
fn check_explanation(reach: &Reach, expected: &ConnectionSet) -> Option<String> {
    if reach.allowed != *expected {
        return Some(format!(
            "allows {}, the list says {expected}",
            reach.allowed
        ));
    }
    for side in [&reach.egress, &reach.ingress] {
        let opened = side
            .decisions
            .iter()
            .filter(|d| d.effect == Action::Allow)
            .fold(ConnectionSet::none(), |set, d| set.union(&d.connections));
        if side.governed && opened != side.allowed {
            return Some(format!(
                "{:?} side allows {} but its decisions open {opened}",
                side.direction, side.allowed
            ));
        }
        // Pass hands connections on, so only allow and deny are final.
        let finals: Vec<_> = side
            .decisions
            .iter()
            .filter(|d| d.effect != Action::Pass)
            .collect();
        for (i, a) in finals.iter().enumerate() {
            for b in &finals[i + 1..] {
                let both = a.connections.intersection(&b.connections);
                if a.effect != b.effect && !both.is_empty() {
                    return Some(format!("{both} is both allowed and denied: {a:?} / {b:?}"));
                }
            }
        }
    }
    None
}

#[test]
fn explanations_agree_with_the_connectivity_list() {
    let Some(oracle) = shared("oracles/netpol-analyzer") else {
        return;
    };
    let scenarios = std::fs::read_dir(oracle.join("scenarios")).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for folder in scenarios.map(|e| e.unwrap().path()) {
        let inventory = load(&[Target::Path(folder.clone())], &LoadOptions::default()).unwrap();
        let (analysis, _) = Analysis::new(inventory.all::<Object>());
        let pods = analysis.topology.pods.len();
        let mut fail = |what: String| failures.push(format!("{}: {what}", folder.display()));
        for source in 0..pods {
            for destination in (0..pods).filter(|&d| d != source) {
                let reach = analysis
                    .reach(
                        ReachPeer::Workload(source),
                        ReachPeer::Workload(destination),
                    )
                    .unwrap();
                let expected = analysis.pod_to_pod(source, destination);
                if let Some(problem) = check_explanation(&reach, &expected) {
                    fail(format!(
                        "{} => {}: {problem}",
                        reach.source, reach.destination
                    ));
                }
                checked += 1;
            }
            for range in &analysis.external_ranges {
                let outside = ReachPeer::External(range.first());
                let inside = ReachPeer::Workload(source);
                for (from, to, direction) in [
                    (outside, inside, Direction::Ingress),
                    (inside, outside, Direction::Egress),
                ] {
                    let reach = analysis.reach(from, to).unwrap();
                    let expected =
                        analysis.allowed(source, Endpoint::External(range.first()), direction);
                    if let Some(problem) = check_explanation(&reach, &expected) {
                        fail(format!(
                            "{} => {}: {problem}",
                            reach.source, reach.destination
                        ));
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} pairs explained");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
