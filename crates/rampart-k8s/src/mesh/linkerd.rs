//! Linkerd: which pods get its proxy, and what their inbound side accepts without mutual TLS.
//!
//! Between two meshed pods Linkerd always speaks mutual TLS, opaque ports included. Plaintext
//! comes in through ports the proxy skips (`config.linkerd.io/skip-inbound-ports`) and, from
//! clients without a proxy, through the default inbound policy when it admits unauthenticated
//! traffic (`all-unauthenticated`, Linkerd's default, `cluster-unauthenticated`, `audit`).

use rampart_source::Object;

use super::{Inbound, Ports, Rule, annotation_evidence, parse_port_list};
use crate::netpol::{IntervalSet, Labels, Reporter};

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
