//! The Kubernetes end-to-end NetworkPolicy cases (kubernetes/kubernetes
//! `test/e2e/network/netpol/network_policy.go`), restated as rampart's own data: each file under
//! `tests/netpol_e2e/` is one case of the e2e model — namespaces `x`, `y` and `z`, pods named
//! `a`, `b`, `c` labelled `pod: <name>`, one container per probed port and protocol with the
//! named port `serve-<port>-<protocol>` — with the policies the case creates and, for each probe
//! (a protocol and port), the reachability matrix the e2e test expects.
//!
//! A case file is a YAML stream: its first document describes the case, the others are the
//! policies.
//!
//! ```yaml
//! case: "should support a 'default-deny-ingress' policy"
//! pods: [x/a, x/b, y/a]        # the e2e model's pods; every case has the namespaces x, y, z
//! protocols: [TCP]             # the containers each pod runs, as in the e2e model
//! ports: [80]
//! namespace_labels: {y: {ns2: updated}}   # optional: labels added after creation
//! pod_labels: {x/b: {pod2: updated}}      # optional
//! probes:
//! - connection: TCP 80
//!   reachability: |            # rows: source, columns: destination; `.` allowed, `X` denied,
//!     -    x/a x/b y/a         # `-` a pod to itself (the e2e tests ignore loopback)
//!     x/a   -   X   .
//! ```
//!
//! A matrix may also name an address outside the cluster (a row or a column such as
//! `10.0.0.5`); between two addresses the cell is `-`.
//!
//! Cases that change the cluster during the test (update a policy, relabel a pod or a
//! namespace, delete policies) become one file per state: `…-before` and `…-after`.
//!
//! Not expressible statically, so adapted:
//! - the three ipBlock cases ("should allow egress access to server in CIDR block", "should
//!   enforce except clause while egress access to server in CIDR block", "should ensure an IP
//!   overlapping both IPBlock.CIDR and IPBlock.Except is allowed") build their CIDRs from the
//!   IP the server pod receives at run time. A manifest has no pod IPs, and rampart (like
//!   np-guard's netpol-analyzer) matches ipBlocks against addresses outside the cluster only, so
//!   these cases put the server outside the cluster at `10.0.0.5`, with `/4` around it as the
//!   e2e test's "large CIDR", and check the same allow / except / overlap semantics, plus the
//!   isolation the egress policy causes towards the pods.
//!
//! Added by rampart (no e2e counterpart): `endport-range` (a port range with `endPort`).
//!
//! Left out: nothing else; the e2e suite's waits, retries and loopback probes have no static
//! meaning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rampart_core::Level;
use rampart_k8s::netpol::{Analysis, ConnectionSet, Protocol};
use rampart_source::{Limits, Node, parse_stream, parse_text};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/netpol_e2e")
}

/// A scalar's text, unquoted.
fn scalar(node: &Node) -> String {
    node.as_str()
        .map_or_else(|| node.display_scalar(), str::to_owned)
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(Node::items)
        .unwrap_or(&[])
        .iter()
        .map(scalar)
        .collect()
}

/// `{key: {label: value}}` as pairs per key.
fn label_map(node: Option<&Node>) -> BTreeMap<String, Vec<(String, String)>> {
    node.map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .map(|entry| {
            let labels = entry
                .value
                .entries()
                .iter()
                .map(|l| (l.key.to_string(), scalar(&l.value)))
                .collect();
            (entry.key.to_string(), labels)
        })
        .collect()
}

/// Labels as a flow mapping; values are quoted, since YAML 1.1 (which Kubernetes reads) takes
/// the namespace name `y` for `true`.
fn labels_yaml(labels: &[(String, String)]) -> String {
    let pairs: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}: \"{v}\""))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// The namespaces and pods of the e2e model, as manifests.
fn model(description: &Node) -> String {
    let protocols = strings(description.get("protocols"));
    let ports = strings(description.get("ports"));
    let namespace_labels = label_map(description.get("namespace_labels"));
    let pod_labels = label_map(description.get("pod_labels"));
    let mut out = String::new();
    for namespace in ["x", "y", "z"] {
        let mut labels = vec![("ns".to_owned(), namespace.to_owned())];
        labels.extend(namespace_labels.get(namespace).cloned().unwrap_or_default());
        out.push_str(&format!(
            "---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: \"{namespace}\", labels: {}}}\n",
            labels_yaml(&labels)
        ));
    }
    for pod in strings(description.get("pods")) {
        let (namespace, name) = pod.split_once('/').expect("pods are written ns/name");
        let mut labels = vec![("pod".to_owned(), name.to_owned())];
        labels.extend(pod_labels.get(&pod).cloned().unwrap_or_default());
        let containers: Vec<String> = ports
            .iter()
            .flat_map(|port| {
                protocols.iter().map(move |protocol| {
                    let lower = protocol.to_lowercase();
                    format!(
                        "{{name: cont-{port}-{lower}, image: agnhost, ports: [{{name: serve-{port}-{lower}, containerPort: {port}, protocol: {protocol}}}]}}"
                    )
                })
            })
            .collect();
        out.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: \"{namespace}\", labels: {}}}\nspec:\n  containers: [{}]\n",
            labels_yaml(&labels),
            containers.join(", ")
        ));
    }
    out
}

/// `TCP 80` as a connection set.
fn probe_connection(text: &str) -> ConnectionSet {
    let (protocol, port) = text.split_once(' ').expect("a probe is `PROTOCOL PORT`");
    let protocol = Protocol::parse(protocol).expect("TCP, UDP or SCTP");
    let port: u64 = port.parse().expect("a port number");
    ConnectionSet::ports(protocol, port, port)
}

/// Runs one case; returns its mismatches, one line each.
fn run_case(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let (documents, error) = parse_stream(&text, &Limits::default());
    assert!(error.is_none(), "{}: {error:?}", path.display());
    let description = &documents[0].root;
    let name = description.get("case").map(scalar).unwrap_or_default();
    let full = format!("{text}\n{}", model(description));
    let (objects, errors) = parse_text(&path.display().to_string(), &full, &Limits::default());
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    let (analysis, diagnostics) = Analysis::new(&objects);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());

    let mut mismatches = Vec::new();
    for probe in description.get("probes").map(Node::items).unwrap_or(&[]) {
        let connection_text = probe.get("connection").map(scalar).unwrap_or_default();
        let wanted = probe_connection(&connection_text);
        let matrix = probe
            .get("reachability")
            .and_then(Node::as_str)
            .expect("a reachability matrix");
        let mut rows = matrix.lines().map(str::split_whitespace);
        let columns: Vec<&str> = rows.next().expect("a header row").skip(1).collect();
        for mut row in rows {
            let Some(source) = row.next() else { continue };
            let cells: Vec<&str> = row.collect();
            assert_eq!(
                cells.len(),
                columns.len(),
                "{}: row {source}",
                path.display()
            );
            for (destination, cell) in columns.iter().zip(cells) {
                if cell == "-" {
                    continue;
                }
                let expected = match cell {
                    "." => true,
                    "X" => false,
                    other => panic!("{}: cell `{other}`", path.display()),
                };
                let find = |peer: &str| {
                    analysis
                        .find_peer(peer)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                };
                let reach = analysis
                    .reach(find(source), find(destination))
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let allowed = reach.allowed.intersection(&wanted) == wanted;
                if allowed != expected {
                    mismatches.push(format!(
                        "{} ({name}), {connection_text}: {source} => {destination} expected {}, got {}",
                        path.file_name().unwrap().to_string_lossy(),
                        if expected { "allowed" } else { "denied" },
                        if allowed { "allowed" } else { "denied" },
                    ));
                }
            }
        }
    }
    mismatches
}

#[test]
fn every_e2e_case_gives_the_expected_reachability() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mismatches: Vec<String> = cases.iter().flat_map(|case| run_case(case)).collect();
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}
