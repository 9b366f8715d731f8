//! What the segmentation rules share: which namespace an object is in, where a workload's
//! pod labels are, and the default-deny check both directions use.

use rampart_core::Evidence;
use rampart_k8s::netpol::Direction;
use rampart_source::Object;

use crate::{Hit, Target};

/// The namespace an object lands in; objects that name none are applied to `default` here, as
/// the network policy analysis assumes.
pub(super) fn namespace_of(object: &Object) -> &str {
    object.namespace.as_deref().unwrap_or("default")
}

/// The field of a direction in a NetworkPolicy spec.
pub(super) fn field_of(direction: Direction) -> &'static str {
    match direction {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}

/// Whether `object` is a Kubernetes Namespace.
fn is_namespace(object: &Object) -> bool {
    object.kind == "Namespace" && object.api_version == "v1"
}

/// Evidence pointing at an object of the scan.
pub(super) fn object_evidence(label: &'static str, object: &Object) -> Evidence {
    let namespace = object
        .namespace
        .as_deref()
        .map(|ns| format!("{ns}/"))
        .unwrap_or_default();
    Evidence {
        label,
        value: format!("{} {namespace}{}", object.kind, object.name),
        location: Some(object.location(object.root.span)),
    }
}

/// Reports a namespace with workloads that no NetworkPolicy isolates by default in
/// `direction`: on its Namespace object, or, when the scan does not declare it, on its first
/// workload (one finding per namespace either way).
pub(super) fn missing_default_deny(target: &Target<'_>, direction: Direction, hits: &mut Vec<Hit>) {
    let object = target.object;
    let cluster = target.cluster;
    let (namespace, pointer) = if is_namespace(object) {
        (object.name.as_str(), "")
    } else if target.pod.is_some()
        && cluster.is_first_workload(object)
        && !cluster.is_namespace_declared(namespace_of(object))
    {
        (namespace_of(object), "/metadata/namespace")
    } else {
        return;
    };
    let Some(first) = cluster.first_workload(namespace) else {
        return;
    };
    let netpol = cluster.netpol();
    if netpol.is_some_and(|netpol| netpol.default_deny(namespace, direction)) {
        return;
    }
    let field = field_of(direction);
    let (effect, types) = match direction {
        Direction::Ingress => (
            "a pod no other policy selects accepts connections from every pod of every namespace and from outside",
            "[Ingress]",
        ),
        Direction::Egress => (
            "a pod no other policy selects may connect anywhere: other namespaces, the cloud metadata address, the internet",
            "[Egress]",
        ),
    };
    let message = format!(
        "namespace `{namespace}` runs workloads but no NetworkPolicy there selects all pods (`podSelector: {{}}`) for {field}: {effect}; add a default-deny policy with `podSelector: {{}}` and `policyTypes: {types}`, then allow what each workload needs"
    );
    hits.push(Hit::new(pointer, message).with_evidence(vec![object_evidence("workload", first)]));
}
