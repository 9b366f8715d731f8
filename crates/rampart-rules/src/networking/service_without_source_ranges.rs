use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Node;

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

/// Annotations that make a cloud load balancer internal (reachable from the VPC only):
/// (annotation, value), values compared case-insensitively.
const INTERNAL_LOAD_BALANCER: &[(&str, &str)] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
    ("networking.gke.io/load-balancer-type", "internal"),
    ("cloud.google.com/load-balancer-type", "internal"),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
];

/// The annotation cloud providers read source ranges from before the field existed.
const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

declare_rule! {
    /// ## What it checks
    /// Services that open ports to addresses outside the cluster without limiting who may
    /// connect:
    /// - `type: LoadBalancer` without `loadBalancerSourceRanges` (nor the older
    ///   `service.beta.kubernetes.io/load-balancer-source-ranges` annotation), or with a range
    ///   of every address (`0.0.0.0/0`, `::/0`). Load balancers the provider's annotation makes
    ///   internal (AWS, GKE, Azure) are left out.
    /// - `type: NodePort`: the port opens on every node's addresses, and Kubernetes has no field
    ///   to limit its clients; only firewalls outside the cluster can.
    ///
    /// The message also says when `externalTrafficPolicy` is `Cluster` (the default): nodes
    /// then replace the client's address with their own, so `ipBlock` rules of the pods'
    /// NetworkPolicies cannot tell clients apart.
    ///
    /// ## Why it matters
    /// Every address on the internet can reach the workload behind such a Service: scanners find
    /// it within minutes, and any flaw or weak credential of the application is exposed to them.
    /// Admin consoles, databases and metrics endpoints published this way are a common way in.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   ports: [{port: 443}]
    /// ```
    /// Use instead: the networks that need it.
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerSourceRanges: [203.0.113.0/24]
    ///   externalTrafficPolicy: Local
    ///   ports: [{port: 443}]
    /// ```
    pub struct ServiceWithoutSourceRanges {
        code: "K309",
        name: "service-without-source-ranges",
        title: "LoadBalancer or NodePort Service open to every address",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Nsa: ["network-separation"],
            Mitre: ["T1190", "T1046"],
            Cwe: ["CWE-284"],
        ],
        equivalents: &[],
    }
}

fn is_everywhere(range: &str) -> bool {
    matches!(range.trim(), "0.0.0.0/0" | "::/0")
}

/// `TCP 443, UDP 53`: the Service's ports as clients see them.
fn ports_of(spec: &Node, node_ports: bool) -> String {
    let ports: Vec<String> = spec
        .get("ports")
        .map_or(&[][..], Node::items)
        .iter()
        .filter_map(|port| {
            let protocol = port.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
            let number = if node_ports {
                port.get("nodePort").and_then(Node::as_i64)
            } else {
                port.get("port").and_then(Node::as_i64)
            };
            Some(match number {
                Some(number) => format!("{protocol} {number}"),
                None if node_ports => format!("{protocol} (a node port the cluster picks)"),
                None => return None,
            })
        })
        .collect();
    if ports.is_empty() {
        "its ports".to_owned()
    } else {
        ports.join(", ")
    }
}

impl Check<Objects> for ServiceWithoutSourceRanges {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let object = target.object;
        if object.kind != "Service" || object.api_version != "v1" {
            return;
        }
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let traffic_policy = spec
            .get("externalTrafficPolicy")
            .and_then(Node::as_str)
            .unwrap_or("Cluster");
        let source_lost = if traffic_policy == "Local" {
            ""
        } else {
            "; with `externalTrafficPolicy: Cluster` nodes replace the client's address with their own, so NetworkPolicies cannot filter clients either"
        };
        match spec.get("type").and_then(Node::as_str) {
            Some("LoadBalancer") => {
                let internal = INTERNAL_LOAD_BALANCER.iter().any(|(key, value)| {
                    object
                        .annotation(key)
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
                });
                if internal {
                    return;
                }
                let ranges: Vec<&str> = spec
                    .get("loadBalancerSourceRanges")
                    .map_or(&[][..], Node::items)
                    .iter()
                    .filter_map(Node::as_str)
                    .collect();
                let annotated: Vec<&str> = object
                    .annotation(SOURCE_RANGES_ANNOTATION)
                    .map(|value| value.split(',').map(str::trim).collect())
                    .unwrap_or_default();
                let ports = ports_of(spec, false);
                let (pointer, problem) =
                    if let Some(index) = ranges.iter().position(|range| is_everywhere(range)) {
                        (
                            format!("/spec/loadBalancerSourceRanges/{index}"),
                            format!(
                                "`loadBalancerSourceRanges` admits every address (`{}`)",
                                ranges[index]
                            ),
                        )
                    } else if !ranges.is_empty() {
                        return;
                    } else if annotated.iter().any(|range| is_everywhere(range)) {
                        (
                            format!(
                                "/metadata/annotations/{}",
                                SOURCE_RANGES_ANNOTATION.replace('/', "~1")
                            ),
                            "its source-ranges annotation admits every address".to_owned(),
                        )
                    } else if !annotated.is_empty() {
                        return;
                    } else {
                        (
                            "/spec/loadBalancerSourceRanges".to_owned(),
                            "the load balancer has no `loadBalancerSourceRanges`".to_owned(),
                        )
                    };
                hits.push(Hit::new(
                    pointer,
                    format!(
                        "{problem}: {ports} open to every address on the internet{source_lost}; list the client networks in `loadBalancerSourceRanges`, or make the load balancer internal"
                    ),
                ));
            }
            Some("NodePort") => {
                let ports = ports_of(spec, true);
                hits.push(
                    Hit::new(
                        "/spec/type",
                        format!(
                            "a NodePort Service opens {ports} on every node's addresses, and no Kubernetes field limits its clients{source_lost}; use a ClusterIP Service behind an Ingress or a LoadBalancer with `loadBalancerSourceRanges`, or firewall the node ports"
                        ),
                    )
                    .with_severity(Severity::Low),
                );
            }
            _ => {}
        }
    }
}
