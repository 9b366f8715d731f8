//! Linkerd: which pods get its proxy, and what their inbound side accepts without mutual TLS.
//!
//! Between two meshed pods Linkerd always speaks mutual TLS, opaque ports included. Plaintext
//! comes in through ports the proxy skips (`config.linkerd.io/skip-inbound-ports`) and, from
//! clients without a proxy, through the default inbound policy when it admits unauthenticated
//! traffic (`all-unauthenticated`, Linkerd's default, `cluster-unauthenticated`, `audit`).

use rampart_core::{Evidence, Location};
use rampart_source::{Node, Object};

use super::{Inbound, Ports, Rule, annotation_evidence, at_line, location_of, parse_port_list};
use crate::netpol::{IntervalSet, Labels, NamedPort, Protocol, Reporter};
use crate::rbac::LabelSelector;

pub const INJECT: &str = "linkerd.io/inject";
pub const DEFAULT_INBOUND_POLICY: &str = "config.linkerd.io/default-inbound-policy";
pub const SKIP_INBOUND_PORTS: &str = "config.linkerd.io/skip-inbound-ports";
pub const SKIP_OUTBOUND_PORTS: &str = "config.linkerd.io/skip-outbound-ports";

/// The annotation `key` of the pod, or else of its namespace, with where it was found.
fn annotation<'l>(
    key: &str,
    pod: &'l Labels,
    namespace: &'l Labels,
) -> Option<(&'l str, &'static str)> {
    let get = |labels: &'l Labels| {
        labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    get(pod)
        .map(|v| (v, "pod"))
        .or_else(|| get(namespace).map(|v| (v, "namespace")))
}

/// Whether Linkerd's proxy injector gives the pod a proxy: `linkerd.io/inject` `enabled` or
/// `ingress` on the pod, or on its namespace when the pod does not say.
pub fn meshed(pod_annotations: &Labels, namespace_annotations: &Labels) -> bool {
    annotation(INJECT, pod_annotations, namespace_annotations)
        .is_some_and(|(value, _)| matches!(value, "enabled" | "ingress"))
}

/// The inbound rules of a meshed pod, from its (or its namespace's) annotations.
/// `pointer` is the pod template's metadata, where problems are reported.
pub(crate) fn inbound(
    pod_annotations: &Labels,
    namespace_annotations: &Labels,
    object: &Object,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> Vec<Rule> {
    let at = |key: &str| format!("{pointer}/annotations/{}", key.replace('/', "~1"));
    let policy = annotation(
        DEFAULT_INBOUND_POLICY,
        pod_annotations,
        namespace_annotations,
    );
    // A namespace's annotation is named in the message; evidence points at pod fields only.
    let evidence = |key: &str, value: &str, from: &str| {
        (from == "pod").then(|| annotation_evidence(object, pointer, key, value))
    };
    let (inbound, reason, decided_by) = match policy {
        None => (
            Inbound::Permissive,
            "Linkerd's default inbound policy `all-unauthenticated` admits clients without a proxy"
                .to_owned(),
            None,
        ),
        Some((value, from)) => {
            let inbound = match value {
                "all-unauthenticated" | "cluster-unauthenticated" | "audit" => Inbound::Permissive,
                "all-authenticated" | "cluster-authenticated" | "deny" => Inbound::Strict,
                other => {
                    if from == "pod" {
                        reporter.error(
                            &at(DEFAULT_INBOUND_POLICY),
                            format!(
                                "unknown inbound policy `{other}` (all-unauthenticated, all-authenticated, cluster-unauthenticated, cluster-authenticated, deny, audit)"
                            ),
                        );
                    }
                    // The proxy refuses to start with it; nothing is admitted.
                    Inbound::Strict
                }
            };
            (
                inbound,
                format!(
                    "annotation `{DEFAULT_INBOUND_POLICY}: {value}` on the {from} admits clients without a proxy"
                ),
                evidence(DEFAULT_INBOUND_POLICY, value, from),
            )
        }
    };
    let mut rules = vec![Rule {
        ports: Ports::every(),
        inbound,
        reason,
        decided_by,
    }];
    if let Some((value, from)) =
        annotation(SKIP_INBOUND_PORTS, pod_annotations, namespace_annotations)
    {
        let skipped = ports_of(value, from, &at(SKIP_INBOUND_PORTS), reporter);
        if let Some(set) = skipped.filter(|set| !set.is_empty()) {
            rules.push(Rule {
                ports: Ports { set },
                inbound: Inbound::Plaintext,
                reason: format!(
                    "annotation `{SKIP_INBOUND_PORTS}: \"{value}\"` on the {from} bypasses the proxy"
                ),
                decided_by: evidence(SKIP_INBOUND_PORTS, value, from),
            });
        }
    }
    rules
}

/// The ports a meshed pod's outgoing connections bypass its proxy on.
pub(crate) fn skipped_outbound(
    pod_annotations: &Labels,
    namespace_annotations: &Labels,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> IntervalSet {
    let at = format!(
        "{pointer}/annotations/{}",
        SKIP_OUTBOUND_PORTS.replace('/', "~1")
    );
    annotation(SKIP_OUTBOUND_PORTS, pod_annotations, namespace_annotations)
        .and_then(|(value, from)| ports_of(value, from, &at, reporter))
        .unwrap_or_else(IntervalSet::empty)
}

/// The ports of a port-list annotation; a malformed one found on the pod is reported (a
/// namespace's are reported once, on the Namespace).
fn ports_of(
    value: &str,
    from: &str,
    pointer: &str,
    reporter: &mut Reporter<'_, '_>,
) -> Option<IntervalSet> {
    match parse_port_list(value) {
        Ok(set) => Some(set),
        Err(message) => {
            if from == "pod" {
                reporter.error(pointer, message);
            }
            None
        }
    }
}

/// The Linkerd annotations of a Namespace that pods inherit and that hold port lists.
pub const NAMESPACE_PORT_LISTS: [&str; 2] = [SKIP_INBOUND_PORTS, SKIP_OUTBOUND_PORTS];

pub const POLICY_GROUP: &str = "policy.linkerd.io";

/// The inbound policies that admit clients without a proxy.
const UNAUTHENTICATED_POLICIES: [&str; 3] =
    ["all-unauthenticated", "cluster-unauthenticated", "audit"];

/// A port of a Server: a number, or a container port's name.
#[derive(Debug, Clone)]
enum ServerPort {
    Number(u64),
    Name(String),
}

/// A Linkerd `Server`: the ports of the pods it selects are decided by it and its
/// authorizations, no longer by the default inbound policy.
#[derive(Debug, Clone)]
pub struct Server {
    namespace: String,
    name: String,
    selector: LabelSelector,
    /// The Server object's own labels, which ServerAuthorizations select.
    labels: Labels,
    port: ServerPort,
    /// `spec.accessPolicy` (`deny` when unset).
    access_policy: String,
    /// What admits clients without mutual TLS (an authorization), if anything but the access
    /// policy does.
    unauthenticated_by: Option<Evidence>,
    location: Location,
}

impl Server {
    fn parse(object: &Object, reporter: &mut Reporter<'_, '_>) -> Option<Server> {
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let selector = spec.get("podSelector")?;
        let selector = match LabelSelector::parse(selector, "/spec/podSelector") {
            Ok(selector) => selector,
            Err(error) => {
                reporter.error(&error.pointer, error.message);
                return None;
            }
        };
        let port = match spec.get("port") {
            Some(node) => match (node.as_i64(), node.as_str()) {
                (Some(number @ 1..=65535), _) => ServerPort::Number(number as u64),
                (_, Some(name)) if !name.is_empty() => ServerPort::Name(name.to_owned()),
                _ => {
                    reporter.error(
                        "/spec/port",
                        "a Server's port is a number from 1 to 65535 or a port name",
                    );
                    return None;
                }
            },
            None => {
                reporter.error("/spec/port", "a Server needs a `port`");
                return None;
            }
        };
        Some(Server {
            namespace: object
                .namespace
                .clone()
                .unwrap_or_else(|| "default".to_owned()),
            name: object.name.clone(),
            selector,
            labels: object
                .metadata()
                .get("labels")
                .map_or(&[][..], Node::entries)
                .iter()
                .filter_map(|e| Some((e.key.to_string(), e.value.as_str()?.to_owned())))
                .collect(),
            port,
            access_policy: spec
                .get("accessPolicy")
                .and_then(Node::as_str)
                .unwrap_or("deny")
                .to_owned(),
            unauthenticated_by: None,
            location: location_of(object, ""),
        })
    }

    /// The rule the Server makes for a pod of `namespace` with `labels` and `named_ports`, if
    /// it selects the pod.
    pub(crate) fn rule_for(
        &self,
        namespace: &str,
        labels: &Labels,
        named_ports: &[NamedPort],
    ) -> Option<Rule> {
        if self.namespace != namespace || !self.selector.matches(labels) {
            return None;
        }
        let ports = match &self.port {
            ServerPort::Number(port) => IntervalSet::range(*port, *port),
            ServerPort::Name(name) => named_ports
                .iter()
                .filter(|p| p.name == *name && p.protocol == Protocol::Tcp)
                .fold(IntervalSet::empty(), |set, p| {
                    set.union(&IntervalSet::range(p.port, p.port))
                }),
        };
        let described = format!(
            "Server {}/{} ({})",
            self.namespace,
            self.name,
            at_line(&self.location)
        );
        let evidence = Evidence {
            label: "policy",
            value: format!("Server {}/{}", self.namespace, self.name),
            location: Some(self.location.clone()),
        };
        let (inbound, reason, decided_by) = if let Some(by) = &self.unauthenticated_by {
            (
                Inbound::Permissive,
                format!(
                    "{described} admits clients without a proxy through {}",
                    by.value
                ),
                Some(by.clone()),
            )
        } else if UNAUTHENTICATED_POLICIES.contains(&self.access_policy.as_str()) {
            (
                Inbound::Permissive,
                format!("{described} has access policy `{}`", self.access_policy),
                Some(evidence),
            )
        } else {
            (
                Inbound::Strict,
                format!("{described} admits authenticated clients only"),
                Some(evidence),
            )
        };
        Some(Rule {
            ports: Ports { set: ports },
            inbound,
            reason,
            decided_by,
        })
    }
}

/// The Servers of the input, each knowing whether an authorization (`AuthorizationPolicy`
/// whose required authentications are all `NetworkAuthentication`s, or a `ServerAuthorization`
/// with `client.unauthenticated: true`) admits clients without mutual TLS.
pub(crate) fn servers(
    objects: &[Object],
    diagnostics: &mut Vec<rampart_core::Diagnostic>,
) -> Vec<Server> {
    let linkerd_policy = |o: &&Object| o.api_version.starts_with(POLICY_GROUP);
    let mut servers: Vec<Server> = objects
        .iter()
        .filter(linkerd_policy)
        .filter(|o| o.kind == "Server")
        .filter_map(|o| Server::parse(o, &mut Reporter::new(o, diagnostics)))
        .collect();
    for object in objects.iter().filter(linkerd_policy) {
        let namespace = object.namespace.as_deref().unwrap_or("default");
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let evidence = || Evidence {
            label: "authorization",
            value: format!("{} {namespace}/{}", object.kind, object.name),
            location: Some(location_of(object, "")),
        };
        let targets: Vec<&mut Server> = match object.kind.as_str() {
            "AuthorizationPolicy" => {
                let kinds: Vec<&str> = spec
                    .get("requiredAuthenticationRefs")
                    .map_or(&[][..], Node::items)
                    .iter()
                    .filter_map(|r| r.get("kind").and_then(Node::as_str))
                    .collect();
                if kinds.iter().any(|kind| *kind != "NetworkAuthentication") {
                    continue;
                }
                let kind = spec.path(&["targetRef", "kind"]).and_then(Node::as_str);
                let name = spec.path(&["targetRef", "name"]).and_then(Node::as_str);
                servers
                    .iter_mut()
                    .filter(|s| s.namespace == namespace)
                    .filter(|s| match kind {
                        Some("Server") => Some(s.name.as_str()) == name,
                        Some("Namespace") => true,
                        _ => false,
                    })
                    .collect()
            }
            "ServerAuthorization" => {
                if spec
                    .path(&["client", "unauthenticated"])
                    .and_then(Node::as_bool)
                    != Some(true)
                {
                    continue;
                }
                let name = spec.path(&["server", "name"]).and_then(Node::as_str);
                let selector = spec
                    .path(&["server", "selector"])
                    .and_then(|node| LabelSelector::parse(node, "/spec/server/selector").ok());
                servers
                    .iter_mut()
                    .filter(|s| s.namespace == namespace)
                    .filter(|s| {
                        Some(s.name.as_str()) == name
                            || selector.as_ref().is_some_and(|sel| sel.matches(&s.labels))
                    })
                    .collect()
            }
            _ => continue,
        };
        for server in targets {
            server.unauthenticated_by.get_or_insert_with(evidence);
        }
    }
    servers
}
