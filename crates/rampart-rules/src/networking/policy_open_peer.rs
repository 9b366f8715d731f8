use rampart_core::{Concern, Evidence, Layer, Severity, refs};
use rampart_source::Node;

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// NetworkPolicy rules that admit (ingress) or reach (egress) everyone:
    /// - a rule without peers (no `from` / `to`, or an empty list): every pod of every namespace
    ///   and every address;
    /// - a peer `namespaceSelector: {}` without a `podSelector` (or with an empty one): every
    ///   pod of every namespace;
    /// - a peer `namespaceSelector: {}` with a `podSelector`: pods with those labels in every
    ///   namespace, which anyone who may create a pod anywhere can imitate (reported as low);
    /// - an `ipBlock` of every address, `0.0.0.0/0` or `::/0` (its `except` blocks named in the
    ///   message).
    ///
    /// Egress rules limited to port 53 (DNS) are left out: resolving names through the cluster
    /// DNS is what almost every workload needs. Ingress rules rank medium, egress rules low.
    /// Rules of a direction the policy does not govern (`policyTypes`) are ignored, as the API
    /// server ignores them.
    ///
    /// ## Why it matters
    /// Such a rule switches the isolation of the selected pods off for the ports it names: the
    /// policy exists, reviewers see it, and yet every compromised pod of the cluster (and, for
    /// rules without peers or with `0.0.0.0/0`, every address that reaches the pod network) may
    /// connect. In egress, it lets a compromised pod reach the metadata service, the internet and
    /// other namespaces.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   ingress:
    ///     - from: [{namespaceSelector: {}}]
    /// ```
    /// Use instead: the namespaces and pods that are clients.
    /// ```yaml
    /// kind: NetworkPolicy
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: web}}
    ///           podSelector: {matchLabels: {app: frontend}}
    ///       ports: [{port: 8080}]
    /// ```
    pub struct NetworkPolicyOpenPeer {
        code: "K306",
        name: "network-policy-open-peer",
        title: "NetworkPolicy rule open to every namespace or address",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Cis: ["5.3.2"],
            Nsa: ["network-separation"],
            Mitre: ["T1210", "T1046"],
            Cwe: ["CWE-923"],
        ],
        equivalents: &[],
    }
}

/// Whether a label selector node selects everything: `{}`, or only empty lists.
fn selects_all(selector: &Node) -> bool {
    selector
        .get("matchLabels")
        .is_none_or(|m| m.entries().is_empty())
        && selector
            .get("matchExpressions")
            .is_none_or(|m| m.items().is_empty())
}

/// `TCP 8080, UDP 53`, or `every port`: what a rule's `ports` list opens.
fn ports_text(rule: &Node) -> String {
    let ports = rule.get("ports").map_or(&[][..], Node::items);
    if ports.is_empty() {
        return "every port".to_owned();
    }
    ports
        .iter()
        .map(|port| {
            let protocol = port.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
            let number = port.get("port").map(|p| {
                p.as_i64()
                    .map_or_else(|| p.as_str().unwrap_or("?").to_owned(), |n| n.to_string())
            });
            let end = port.get("endPort").and_then(Node::as_i64);
            match (number, end) {
                (None, _) => format!("{protocol} every port"),
                (Some(start), Some(end)) => format!("{protocol} {start}-{end}"),
                (Some(number), None) => format!("{protocol} {number}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether an egress rule only opens DNS (port 53).
fn only_dns(rule: &Node) -> bool {
    let ports = rule.get("ports").map_or(&[][..], Node::items);
    !ports.is_empty()
        && ports.iter().all(|port| {
            port.get("port").and_then(Node::as_i64) == Some(53) && port.get("endPort").is_none()
        })
}

impl Check<Objects> for NetworkPolicyOpenPeer {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let object = target.object;
        if object.kind != "NetworkPolicy" || !object.api_version.starts_with("networking.k8s.io/") {
            return;
        }
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let types: Option<Vec<&str>> = spec
            .get("policyTypes")
            .filter(|n| !n.is_null())
            .map(|n| n.items().iter().filter_map(Node::as_str).collect());
        for (field, peers_field, policy_type) in
            [("ingress", "from", "Ingress"), ("egress", "to", "Egress")]
        {
            // Without policyTypes, ingress is always governed and egress when it has rules.
            if types.as_ref().is_some_and(|t| !t.contains(&policy_type)) {
                continue;
            }
            let (severity, verb) = if field == "ingress" {
                (Severity::Medium, "admits")
            } else {
                (Severity::Low, "lets the pods reach")
            };
            for (index, rule) in spec
                .get(field)
                .map_or(&[][..], Node::items)
                .iter()
                .enumerate()
            {
                if field == "egress" && only_dns(rule) {
                    continue;
                }
                let ports = ports_text(rule);
                let evidence = vec![Evidence {
                    label: "ports",
                    value: ports.clone(),
                    location: None,
                }];
                let rule_pointer = format!("/spec/{field}/{index}");
                let peers = rule.get(peers_field).map_or(&[][..], Node::items);
                if peers.is_empty() {
                    hits.push(
                        Hit::new(
                            &rule_pointer,
                            format!(
                                "{field} rule without `{peers_field}` {verb} every pod of every namespace and every address, on {ports}; list the peers that need it"
                            ),
                        )
                        .with_severity(severity)
                        .with_evidence(evidence),
                    );
                    continue;
                }
                for (peer_index, peer) in peers.iter().enumerate() {
                    let pointer = format!("{rule_pointer}/{peers_field}/{peer_index}");
                    let open = if let Some(cidr) =
                        peer.path(&["ipBlock", "cidr"]).and_then(Node::as_str)
                    {
                        if !matches!(cidr.trim(), "0.0.0.0/0" | "::/0") {
                            continue;
                        }
                        let except: Vec<&str> = peer
                            .path(&["ipBlock", "except"])
                            .map_or(&[][..], Node::items)
                            .iter()
                            .filter_map(Node::as_str)
                            .collect();
                        let except = if except.is_empty() {
                            String::new()
                        } else {
                            format!(" except {}", except.join(", "))
                        };
                        Some((
                            format!("{pointer}/ipBlock/cidr"),
                            format!("every address (`{cidr}`{except})"),
                            severity,
                        ))
                    } else if let Some(namespaces) = peer
                        .get("namespaceSelector")
                        .filter(|n| !n.is_null() && selects_all(n))
                    {
                        let _ = namespaces;
                        match peer.get("podSelector").filter(|n| !n.is_null()) {
                            Some(pods) if !selects_all(pods) => Some((
                                format!("{pointer}/namespaceSelector"),
                                "pods with these labels in every namespace (anyone who may create a pod in any namespace can carry them)".to_owned(),
                                Severity::Low,
                            )),
                            _ => Some((
                                format!("{pointer}/namespaceSelector"),
                                "every pod of every namespace (`namespaceSelector: {}`)".to_owned(),
                                severity,
                            )),
                        }
                    } else {
                        None
                    };
                    if let Some((pointer, whom, severity)) = open {
                        hits.push(
                            Hit::new(
                                pointer,
                                format!(
                                    "{field} rule {verb} {whom}, on {ports}; name the namespaces, pods or address blocks that need it"
                                ),
                            )
                            .with_severity(severity)
                            .with_evidence(evidence.clone()),
                        );
                    }
                }
            }
        }
    }
}
