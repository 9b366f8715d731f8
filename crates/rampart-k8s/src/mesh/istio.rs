//! Istio: which pods get a sidecar (or are captured by ambient mode), PeerAuthentication
//! resolved as istiod composes it, and DestinationRules that turn Istio mutual TLS off.

use rampart_source::{Node, Object};

use rampart_core::{Evidence, Location};

use super::{
    Inbound, Ports, Rule, annotation_evidence, at_line, location_of, parse_port_list, string_map,
};
use crate::netpol::{IntervalSet, Labels, Reporter};

pub const SECURITY_GROUP: &str = "security.istio.io";
pub const NETWORKING_GROUP: &str = "networking.istio.io";

/// Whether Istio's injector gives the pod a sidecar, or its ambient data plane captures it.
///
/// The rules of the injection webhooks: `sidecar.istio.io/inject: "false"` on the pod (label,
/// or the older annotation) always wins; the namespace label `istio-injection` decides when set
/// (`enabled` or anything else); without it, a namespace `istio.io/rev` label, or a pod label
/// `sidecar.istio.io/inject: "true"` or `istio.io/rev`, injects. Without a sidecar, a pod in a
/// namespace labelled `istio.io/dataplane-mode: ambient` is in the mesh through ztunnel unless
/// the pod opts out with `istio.io/dataplane-mode: none`.
pub fn captured(
    pod_labels: &Labels,
    pod_annotations: &Labels,
    namespace_labels: &Labels,
) -> Option<Capture> {
    fn get<'l>(labels: &'l Labels, key: &str) -> Option<&'l str> {
        labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    let pod_inject = get(pod_labels, "sidecar.istio.io/inject")
        .or(get(pod_annotations, "sidecar.istio.io/inject"));
    let sidecar = if pod_inject == Some("false") {
        false
    } else {
        match get(namespace_labels, "istio-injection") {
            Some(value) => value == "enabled",
            None => {
                get(namespace_labels, "istio.io/rev").is_some()
                    || get(pod_labels, "sidecar.istio.io/inject") == Some("true")
                    || get(pod_labels, "istio.io/rev").is_some()
            }
        }
    };
    if sidecar {
        return Some(Capture::Sidecar);
    }
    let ambient = get(namespace_labels, "istio.io/dataplane-mode") == Some("ambient")
        && get(pod_labels, "istio.io/dataplane-mode") != Some("none");
    ambient.then_some(Capture::Ambient)
}

/// How a pod is in the Istio mesh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    Sidecar,
    /// Captured by the node's ztunnel (ambient mode), which enforces PeerAuthentication too.
    Ambient,
}

/// A PeerAuthentication `mtls.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Unset,
    Disable,
    Permissive,
    Strict,
}

impl Mode {
    fn parse(text: &str) -> Option<Mode> {
        match text {
            "UNSET" => Some(Mode::Unset),
            "DISABLE" => Some(Mode::Disable),
            "PERMISSIVE" => Some(Mode::Permissive),
            "STRICT" => Some(Mode::Strict),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Unset => "UNSET",
            Mode::Disable => "DISABLE",
            Mode::Permissive => "PERMISSIVE",
            Mode::Strict => "STRICT",
        }
    }

    fn inbound(self) -> Inbound {
        match self {
            Mode::Strict => Inbound::Strict,
            Mode::Permissive | Mode::Unset => Inbound::Permissive,
            Mode::Disable => Inbound::Plaintext,
        }
    }
}

/// The mode at `node` (UNSET when absent); an invalid one is reported and clears `valid`.
fn mode_at(
    node: Option<&Node>,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
    valid: &mut bool,
) -> Mode {
    let Some(node) = node.filter(|n| !n.is_null()) else {
        return Mode::Unset;
    };
    match node.as_str().and_then(Mode::parse) {
        Some(mode) => mode,
        None => {
            reporter.error(
                pointer,
                format!(
                    "invalid mutual TLS mode {}: one of UNSET, DISABLE, PERMISSIVE, STRICT",
                    node.display_scalar()
                ),
            );
            *valid = false;
            Mode::Unset
        }
    }
}

/// A PeerAuthentication, as read from the input.
#[derive(Debug, Clone)]
pub struct PeerAuthentication {
    pub namespace: String,
    pub name: String,
    /// `metadata.creationTimestamp`; RFC 3339 in UTC as the API writes it, so that the text
    /// orders like the time. Empty when absent (the zero time, older than any).
    created: String,
    /// `matchLabels` of the selector; empty for none (namespace- or mesh-wide).
    selector: Labels,
    mode: Mode,
    /// `portLevelMtls`: port number, mode, and where the port's entry is.
    port_modes: Vec<(u64, Mode, Location)>,
    /// Where its `mtls.mode` is (the policy's `spec`, when it sets none).
    pub location: Location,
}

impl PeerAuthentication {
    pub(crate) fn parse(
        object: &Object,
        reporter: &mut Reporter<'_, '_>,
    ) -> Option<PeerAuthentication> {
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let mut valid = true;
        let mode = mode_at(
            spec.path(&["mtls", "mode"]),
            "/spec/mtls/mode",
            reporter,
            &mut valid,
        );
        let mut port_modes = Vec::new();
        for entry in spec.get("portLevelMtls").map_or(&[][..], Node::entries) {
            let pointer = format!("/spec/portLevelMtls/{}", entry.key);
            let port = entry
                .key
                .to_string()
                .parse::<u64>()
                .ok()
                .filter(|p| (1..=65535).contains(p));
            let mode = mode_at(
                entry.value.get("mode"),
                &format!("{pointer}/mode"),
                reporter,
                &mut valid,
            );
            match port {
                Some(port) => port_modes.push((port, mode, location_of(object, &pointer))),
                None => {
                    reporter.error(
                        &pointer,
                        format!("`{}` is not a port number from 1 to 65535", entry.key),
                    );
                    valid = false;
                }
            }
        }
        let mut selector = Vec::new();
        for entry in spec
            .path(&["selector", "matchLabels"])
            .map_or(&[][..], Node::entries)
        {
            match entry.value.as_str() {
                Some(value) => selector.push((entry.key.to_string(), value.to_owned())),
                None => {
                    reporter.error(
                        &format!("/spec/selector/matchLabels/{}", entry.key),
                        format!(
                            "label values are strings, found {}",
                            entry.value.type_name()
                        ),
                    );
                    valid = false;
                }
            }
        }
        if !port_modes.is_empty() && selector.is_empty() {
            reporter.error(
                "/spec/portLevelMtls",
                "portLevelMtls needs a workload selector (Istio rejects it on namespace- and mesh-wide policies)",
            );
            valid = false;
        }
        // Istio's validation webhook refuses such a policy: it never reaches the mesh.
        if !valid {
            return None;
        }
        Some(PeerAuthentication {
            namespace: object
                .namespace
                .clone()
                .unwrap_or_else(|| "default".to_owned()),
            name: object.name.clone(),
            created: object
                .metadata()
                .get("creationTimestamp")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_owned(),
            selector,
            mode,
            port_modes,
            location: location_of(object, "/spec/mtls/mode"),
        })
    }

    fn selects(&self, labels: &Labels) -> bool {
        self.selector
            .iter()
            .all(|(key, value)| labels.iter().any(|(k, v)| k == key && v == value))
    }

    /// `PeerAuthentication ns/name (path:line)`, at `location`.
    fn describe(&self, location: &Location) -> String {
        format!(
            "PeerAuthentication {}/{} ({})",
            self.namespace,
            self.name,
            at_line(location)
        )
    }

    /// Evidence naming the policy, at `location`.
    fn evidence(&self, location: &Location) -> Evidence {
        Evidence {
            label: "policy",
            value: format!("PeerAuthentication {}/{}", self.namespace, self.name),
            location: Some(location.clone()),
        }
    }
}

/// Which of several policies of one scope istiod keeps: the oldest, then by name and namespace
/// (the order it sorts configs in before composing them).
fn oldest<'p>(
    policies: impl Iterator<Item = &'p PeerAuthentication>,
) -> Option<&'p PeerAuthentication> {
    policies.min_by(|a, b| {
        (a.created.as_str(), a.name.as_str(), a.namespace.as_str()).cmp(&(
            b.created.as_str(),
            b.name.as_str(),
            b.namespace.as_str(),
        ))
    })
}

/// The inbound rules of a pod in the mesh, composed as istiod does: the mesh-wide policy (root
/// namespace, no selector), then the namespace-wide one, then the workload's (selector; ignored
/// in the root namespace), each overriding the one before unless its mode is UNSET; the oldest
/// wins within a scope; the workload policy's `portLevelMtls` overrides per port, UNSET there
/// meaning the workload's composed mode. Without any policy, Istio is PERMISSIVE.
pub fn compose(
    policies: &[PeerAuthentication],
    root_namespace: &str,
    namespace: &str,
    labels: &Labels,
) -> Vec<Rule> {
    let mesh = oldest(
        policies
            .iter()
            .filter(|p| p.namespace == root_namespace && p.selector.is_empty()),
    );
    let namespace_wide = oldest(policies.iter().filter(|p| {
        p.namespace == namespace && namespace != root_namespace && p.selector.is_empty()
    }));
    let workload = oldest(policies.iter().filter(|p| {
        p.namespace == namespace
            && namespace != root_namespace
            && !p.selector.is_empty()
            && p.selects(labels)
    }));
    let mut decided = (
        Mode::Permissive,
        "no PeerAuthentication applies and Istio defaults to PERMISSIVE".to_owned(),
        None,
    );
    for (scope, policy) in [
        ("mesh-wide", mesh),
        ("namespace-wide", namespace_wide),
        ("workload", workload),
    ] {
        if let Some(policy) = policy.filter(|p| p.mode != Mode::Unset) {
            decided = (
                policy.mode,
                format!(
                    "{scope} {} sets {}",
                    policy.describe(&policy.location),
                    policy.mode.as_str()
                ),
                Some(policy.evidence(&policy.location)),
            );
        }
    }
    let mut rules = vec![Rule {
        ports: Ports::every(),
        inbound: decided.0.inbound(),
        reason: decided.1.clone(),
        decided_by: decided.2.clone(),
    }];
    if let Some(policy) = workload {
        for (port, mode, location) in &policy.port_modes {
            let port = *port;
            let (mode, reason, decided_by) = match mode {
                Mode::Unset => (
                    decided.0,
                    format!(
                        "{} leaves port {port} UNSET: {}",
                        policy.describe(location),
                        decided.1
                    ),
                    decided.2.clone(),
                ),
                mode => (
                    *mode,
                    format!(
                        "{} sets {} on port {port}",
                        policy.describe(location),
                        mode.as_str()
                    ),
                    Some(policy.evidence(location)),
                ),
            };
            rules.push(Rule {
                ports: Ports::one(port),
                inbound: mode.inbound(),
                reason,
                decided_by,
            });
        }
    }
    rules
}

const INCLUDE_INBOUND: &str = "traffic.sidecar.istio.io/includeInboundPorts";
const EXCLUDE_INBOUND: &str = "traffic.sidecar.istio.io/excludeInboundPorts";
const EXCLUDE_OUTBOUND: &str = "traffic.sidecar.istio.io/excludeOutboundPorts";

/// The ports of the port-list annotation `key`, with its value; a malformed list is reported.
fn port_annotation(
    annotations: &Labels,
    key: &str,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> Option<(IntervalSet, String)> {
    let value = annotations.iter().find(|(k, _)| k == key).map(|(_, v)| v)?;
    if value.trim().is_empty() || value.trim() == "*" {
        return None;
    }
    match parse_port_list(value) {
        Ok(ports) => Some((ports, value.clone())),
        Err(message) => {
            let at = format!("{pointer}/annotations/{}", key.replace('/', "~1"));
            reporter.error(&at, message);
            None
        }
    }
}

/// The rules for ports a sidecar does not capture inbound, from the pod's annotations: those
/// left out of `traffic.sidecar.istio.io/includeInboundPorts` when that is not `*`, and those
/// listed in `traffic.sidecar.istio.io/excludeInboundPorts`. Connections to them reach the
/// application directly, in plaintext.
pub(crate) fn uncaptured_inbound(
    annotations: &Labels,
    object: &Object,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> Vec<Rule> {
    let mut rules = Vec::new();
    if let Some((included, value)) =
        port_annotation(annotations, INCLUDE_INBOUND, pointer, reporter)
    {
        rules.push(Rule {
            ports: Ports {
                set: Ports::every().set.difference(&included),
            },
            inbound: Inbound::Plaintext,
            reason: format!(
                "annotation `{INCLUDE_INBOUND}: \"{value}\"` leaves the other ports to the application"
            ),
            decided_by: Some(annotation_evidence(object, pointer, INCLUDE_INBOUND, &value)),
        });
    }
    if let Some((excluded, value)) =
        port_annotation(annotations, EXCLUDE_INBOUND, pointer, reporter)
    {
        rules.push(Rule {
            ports: Ports { set: excluded },
            inbound: Inbound::Plaintext,
            reason: format!("annotation `{EXCLUDE_INBOUND}: \"{value}\"` bypasses the sidecar"),
            decided_by: Some(annotation_evidence(
                object,
                pointer,
                EXCLUDE_INBOUND,
                &value,
            )),
        });
    }
    rules
}

/// Ports on which the pod's outgoing connections bypass its sidecar
/// (`traffic.sidecar.istio.io/excludeOutboundPorts`).
pub(crate) fn uncaptured_outbound(
    annotations: &Labels,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> IntervalSet {
    port_annotation(annotations, EXCLUDE_OUTBOUND, pointer, reporter)
        .map_or_else(IntervalSet::empty, |(ports, _)| ports)
}

/// A DestinationRule's TLS setting toward a host, on all of its ports or one.
#[derive(Debug, Clone)]
pub struct TlsSetting {
    /// `None`: the rule's `trafficPolicy`; a number: `portLevelSettings` for that service port.
    pub port: Option<u64>,
    /// The subset whose `trafficPolicy` this is; `None` for the rule's own.
    pub subset: Option<Subset>,
    /// `DISABLE`, `SIMPLE` or `MUTUAL`: anything but Istio's own mutual TLS.
    pub mode: String,
    /// JSON pointer of the `mode` field.
    pub pointer: String,
}

/// A named subset of a host's pods.
#[derive(Debug, Clone)]
pub struct Subset {
    pub name: String,
    /// The labels its pods carry.
    pub labels: Labels,
}

/// A DestinationRule that replaces Istio mutual TLS toward its host.
#[derive(Debug, Clone)]
pub struct DestinationRule {
    /// The object's index in the scan.
    pub object: usize,
    pub namespace: String,
    pub host: String,
    /// Client namespaces the rule applies to (`exportTo`); `None` for every namespace.
    pub export_to: Option<Vec<String>>,
    pub settings: Vec<TlsSetting>,
}

const TLS_MODES: [&str; 4] = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];

impl DestinationRule {
    /// The rule, when it sets a TLS mode other than `ISTIO_MUTUAL` somewhere.
    pub(crate) fn parse(
        object: &Object,
        index: usize,
        reporter: &mut Reporter<'_, '_>,
    ) -> Option<DestinationRule> {
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let namespace = object
            .namespace
            .clone()
            .unwrap_or_else(|| "default".to_owned());
        let Some(host) = spec
            .get("host")
            .and_then(Node::as_str)
            .filter(|h| !h.is_empty())
        else {
            reporter.error("/spec/host", "a DestinationRule needs a `host`");
            return None;
        };
        // The rule's own traffic policy, then each subset's, which applies to the subset's pods.
        let mut policies: Vec<(&Node, String, Option<Subset>)> = Vec::new();
        if let Some(policy) = spec.get("trafficPolicy") {
            policies.push((policy, "/spec/trafficPolicy".to_owned(), None));
        }
        for (i, subset) in spec
            .get("subsets")
            .map_or(&[][..], Node::items)
            .iter()
            .enumerate()
        {
            if let Some(policy) = subset.get("trafficPolicy") {
                let subset = Subset {
                    name: subset
                        .get("name")
                        .and_then(Node::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    labels: string_map(subset.get("labels")),
                };
                policies.push((
                    policy,
                    format!("/spec/subsets/{i}/trafficPolicy"),
                    Some(subset),
                ));
            }
        }
        let mut settings = Vec::new();
        for (policy, pointer, subset) in policies {
            let ports = policy
                .get("portLevelSettings")
                .map_or(&[][..], Node::items)
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let port = item.path(&["port", "number"]).and_then(Node::as_i64);
                    (
                        item,
                        format!("{pointer}/portLevelSettings/{i}"),
                        port.and_then(|p| u64::try_from(p).ok()),
                    )
                });
            for (node, pointer, port) in
                std::iter::once((policy, pointer.clone(), None)).chain(ports)
            {
                let Some(mode) = node.path(&["tls", "mode"]) else {
                    continue;
                };
                let pointer = format!("{pointer}/tls/mode");
                match mode.as_str().filter(|m| TLS_MODES.contains(m)) {
                    Some("ISTIO_MUTUAL") => {}
                    Some(mode) => settings.push(TlsSetting {
                        port,
                        subset: subset.clone(),
                        mode: mode.to_owned(),
                        pointer,
                    }),
                    None => reporter.error(
                        &pointer,
                        format!(
                            "invalid TLS mode {}: one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL",
                            mode.display_scalar()
                        ),
                    ),
                }
            }
        }
        if settings.is_empty() {
            return None;
        }
        let export_to = spec.get("exportTo").map(|list| {
            list.items()
                .iter()
                .filter_map(Node::as_str)
                .map(|entry| {
                    if entry == "." {
                        namespace.clone()
                    } else {
                        entry.to_owned()
                    }
                })
                .collect::<Vec<_>>()
        });
        let export_to = export_to.filter(|list| !list.iter().any(|entry| entry == "*"));
        Some(DestinationRule {
            object: index,
            namespace,
            host: host.to_owned(),
            export_to,
            settings,
        })
    }

    /// Whether the rule's host names the Service `name` in `namespace`: a short name is
    /// relative to the rule's namespace, anything with a dot is a fully qualified name
    /// (`<service>.<namespace>.svc.cluster.local`), possibly with a leading `*` wildcard.
    pub fn names_service(&self, namespace: &str, name: &str) -> bool {
        if !self.host.contains('.') && self.host != "*" {
            return self.host == name && self.namespace == namespace;
        }
        let fqdn = format!("{name}.{namespace}.svc.cluster.local");
        match self.host.strip_prefix('*') {
            Some(suffix) => fqdn.ends_with(suffix),
            None => self.host == fqdn,
        }
    }

    /// Whether clients in `namespace` use the rule.
    pub fn applies_to_clients_in(&self, namespace: &str) -> bool {
        self.export_to
            .as_ref()
            .is_none_or(|list| list.iter().any(|entry| entry == namespace))
    }
}
