//! The connectivity list in netpol-analyzer's other notations (`csv`, `md`, `dot`) and its
//! focus on chosen workloads, so rampart's output drops into the same pipelines.

use std::collections::BTreeMap;

use super::connlist::{Connection, PeerName};

impl PeerName {
    /// Whether `name` designates this peer the way netpol-analyzer's `--focusworkload` does:
    /// a workload by `name` or `namespace/name`, the ingress controller by
    /// `ingress-controller` (or as it is printed, `{ingress-controller}`).
    pub fn is_named(&self, name: &str) -> bool {
        match self {
            PeerName::Workload {
                namespace,
                name: own,
                ..
            } => {
                own == name
                    || name
                        .split_once('/')
                        .is_some_and(|(ns, n)| ns == namespace && n == own)
            }
            PeerName::IngressController => {
                matches!(name, "ingress-controller" | "{ingress-controller}")
            }
            PeerName::External(_) => false,
        }
    }
}

/// The connections where one of `workloads` (names as [`PeerName::is_named`] takes them) is the
/// source or the destination; all of them when `workloads` is empty.
pub fn focus(connections: &[Connection], workloads: &[String]) -> Vec<Connection> {
    let focused = |peer: &PeerName| workloads.iter().any(|w| peer.is_named(w));
    connections
        .iter()
        .filter(|c| workloads.is_empty() || focused(&c.source) || focused(&c.destination))
        .cloned()
        .collect()
}

/// `(src, dst, conn)` rows sorted by source then destination, as every format lists them.
fn rows(connections: &[Connection]) -> Vec<[String; 3]> {
    let mut rows: Vec<[String; 3]> = connections
        .iter()
        .map(|c| {
            [
                c.source.to_string(),
                c.destination.to_string(),
                c.allowed.to_string(),
            ]
        })
        .collect();
    rows.sort();
    rows
}

/// One CSV field, quoted when it holds a separator, a quote or a line break, or starts with
/// white space (the rules of Go's `encoding/csv`, which netpol-analyzer writes with).
fn csv_field(field: &str) -> String {
    let needs_quotes = field == r"\."
        || field.contains([',', '"', '\r', '\n'])
        || field.starts_with(char::is_whitespace);
    if needs_quotes {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// A `src,dst,conn` header, then one row per connection.
pub fn format_csv(connections: &[Connection]) -> String {
    let mut out = String::from("src,dst,conn\n");
    for row in rows(connections) {
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// A Markdown table with the columns `src`, `dst` and `conn`.
pub fn format_md(connections: &[Connection]) -> String {
    let mut out = String::from("| src | dst | conn |\n|-----|-----|------|\n");
    for [source, destination, allowed] in rows(connections) {
        out.push_str(&format!("| {source} | {destination} | {allowed} |\n"));
    }
    out
}

/// A string in double quotes, as Go's `%q` writes the names rampart produces.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A node line: `"id" [label="…" color="…" fontcolor="…"]`.
fn node_line(id: &str, label: &str, color: &str) -> String {
    format!(
        "{} [label={} color={} fontcolor={}]",
        quoted(id),
        quoted(label),
        quoted(color),
        quoted(color)
    )
}

/// A Graphviz digraph: one cluster per namespace holding its workloads, external ranges and the
/// ingress controller outside the clusters, one edge per connection labelled with its ports.
/// `workloads` are drawn even without a connection (netpol-analyzer draws every workload of the
/// input, or the focused ones).
pub fn format_dot(connections: &[Connection], workloads: &[PeerName]) -> String {
    let mut namespaces: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut outside: Vec<String> = Vec::new();
    let peers = connections
        .iter()
        .flat_map(|c| [&c.source, &c.destination])
        .chain(workloads);
    let mut drawn = std::collections::HashSet::new();
    for peer in peers {
        if !drawn.insert(peer) {
            continue;
        }
        let id = peer.to_string();
        match peer {
            PeerName::Workload {
                namespace,
                name,
                kind,
            } => namespaces
                .entry(format!("{namespace}[namespace]"))
                .or_default()
                .push(node_line(&id, &format!("{name}[{kind}]"), "blue")),
            PeerName::External(_) => outside.push(node_line(&id, &id, "red2")),
            PeerName::IngressController => outside.push(node_line(&id, &id, "blue")),
        }
    }
    outside.sort();
    let mut edges: Vec<String> = rows(connections)
        .into_iter()
        .map(|[source, destination, allowed]| {
            // netpol-analyzer weighs edges by the order of their ends' names.
            let weight = if source <= destination { "0.5" } else { "1" };
            format!(
                "{} -> {} [label={} color=\"gold2\" fontcolor=\"darkgreen\" weight={weight}]",
                quoted(&source),
                quoted(&destination),
                quoted(&allowed)
            )
        })
        .collect();
    edges.sort();

    let mut lines = vec!["digraph {".to_owned()];
    for (namespace, mut nodes) in namespaces {
        nodes.sort();
        // Graphviz takes no `-` in a subgraph's name.
        lines.push(format!(
            "\tsubgraph \"cluster_{}\" {{",
            namespace.replace('-', "_")
        ));
        lines.push("\t\tcolor=\"black\"".to_owned());
        lines.push("\t\tfontcolor=\"black\"".to_owned());
        lines.extend(nodes.into_iter().map(|node| format!("\t\t{node}")));
        lines.push(format!("\t\tlabel={}", quoted(&namespace)));
        lines.push("\t}".to_owned());
    }
    lines.extend(outside.into_iter().chain(edges).map(|l| format!("\t{l}")));
    lines.push("}".to_owned());
    lines.iter().map(|line| format!("{line}\n")).collect()
}
