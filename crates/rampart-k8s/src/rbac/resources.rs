//! What rampart knows about the built-in API without asking a server: which group serves a
//! resource (so `deployments` means `deployments.apps`, as kubectl's discovery resolves it),
//! which resources are cluster-scoped, and which verbs exist.

/// Whether objects of a resource live in a namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

use Scope::{Cluster, Namespaced};

/// Built-in resources: (plural name, API group, scope). Where two groups serve one name, the
/// group kubectl prefers comes first.
const BUILTIN: &[(&str, &str, Scope)] = &[
    ("bindings", "", Namespaced),
    ("componentstatuses", "", Cluster),
    ("configmaps", "", Namespaced),
    ("endpoints", "", Namespaced),
    ("events", "", Namespaced),
    ("limitranges", "", Namespaced),
    ("namespaces", "", Cluster),
    ("nodes", "", Cluster),
    ("persistentvolumeclaims", "", Namespaced),
    ("persistentvolumes", "", Cluster),
    ("pods", "", Namespaced),
    ("podtemplates", "", Namespaced),
    ("replicationcontrollers", "", Namespaced),
    ("resourcequotas", "", Namespaced),
    ("secrets", "", Namespaced),
    ("serviceaccounts", "", Namespaced),
    ("services", "", Namespaced),
    // Impersonation targets other than service accounts.
    ("users", "", Cluster),
    ("groups", "", Cluster),
    ("uids", "authentication.k8s.io", Cluster),
    ("userextras", "authentication.k8s.io", Cluster),
    ("tokenreviews", "authentication.k8s.io", Cluster),
    ("selfsubjectreviews", "authentication.k8s.io", Cluster),
    (
        "localsubjectaccessreviews",
        "authorization.k8s.io",
        Namespaced,
    ),
    ("selfsubjectaccessreviews", "authorization.k8s.io", Cluster),
    ("selfsubjectrulesreviews", "authorization.k8s.io", Cluster),
    ("subjectaccessreviews", "authorization.k8s.io", Cluster),
    (
        "mutatingwebhookconfigurations",
        "admissionregistration.k8s.io",
        Cluster,
    ),
    (
        "validatingwebhookconfigurations",
        "admissionregistration.k8s.io",
        Cluster,
    ),
    (
        "validatingadmissionpolicies",
        "admissionregistration.k8s.io",
        Cluster,
    ),
    (
        "validatingadmissionpolicybindings",
        "admissionregistration.k8s.io",
        Cluster,
    ),
    (
        "mutatingadmissionpolicies",
        "admissionregistration.k8s.io",
        Cluster,
    ),
    (
        "mutatingadmissionpolicybindings",
        "admissionregistration.k8s.io",
        Cluster,
    ),
    ("customresourcedefinitions", "apiextensions.k8s.io", Cluster),
    ("apiservices", "apiregistration.k8s.io", Cluster),
    ("controllerrevisions", "apps", Namespaced),
    ("daemonsets", "apps", Namespaced),
    ("deployments", "apps", Namespaced),
    ("replicasets", "apps", Namespaced),
    ("statefulsets", "apps", Namespaced),
    ("horizontalpodautoscalers", "autoscaling", Namespaced),
    ("cronjobs", "batch", Namespaced),
    ("jobs", "batch", Namespaced),
    ("certificatesigningrequests", "certificates.k8s.io", Cluster),
    ("clustertrustbundles", "certificates.k8s.io", Cluster),
    ("signers", "certificates.k8s.io", Cluster),
    ("leases", "coordination.k8s.io", Namespaced),
    ("endpointslices", "discovery.k8s.io", Namespaced),
    ("flowschemas", "flowcontrol.apiserver.k8s.io", Cluster),
    (
        "prioritylevelconfigurations",
        "flowcontrol.apiserver.k8s.io",
        Cluster,
    ),
    ("ingressclasses", "networking.k8s.io", Cluster),
    ("ingresses", "networking.k8s.io", Namespaced),
    ("ipaddresses", "networking.k8s.io", Cluster),
    ("networkpolicies", "networking.k8s.io", Namespaced),
    ("servicecidrs", "networking.k8s.io", Cluster),
    ("runtimeclasses", "node.k8s.io", Cluster),
    ("poddisruptionbudgets", "policy", Namespaced),
    ("podsecuritypolicies", "policy", Cluster),
    ("clusterrolebindings", "rbac.authorization.k8s.io", Cluster),
    ("clusterroles", "rbac.authorization.k8s.io", Cluster),
    ("rolebindings", "rbac.authorization.k8s.io", Namespaced),
    ("roles", "rbac.authorization.k8s.io", Namespaced),
    ("deviceclasses", "resource.k8s.io", Cluster),
    ("resourceclaims", "resource.k8s.io", Namespaced),
    ("resourceclaimtemplates", "resource.k8s.io", Namespaced),
    ("resourceslices", "resource.k8s.io", Cluster),
    ("priorityclasses", "scheduling.k8s.io", Cluster),
    ("csidrivers", "storage.k8s.io", Cluster),
    ("csinodes", "storage.k8s.io", Cluster),
    ("csistoragecapacities", "storage.k8s.io", Namespaced),
    ("storageclasses", "storage.k8s.io", Cluster),
    ("volumeattachments", "storage.k8s.io", Cluster),
    ("events", "events.k8s.io", Namespaced),
    ("daemonsets", "extensions", Namespaced),
    ("deployments", "extensions", Namespaced),
    ("ingresses", "extensions", Namespaced),
    ("networkpolicies", "extensions", Namespaced),
    ("replicasets", "extensions", Namespaced),
];

/// The scope of `resource` in `group`, when it is a built-in resource.
pub fn scope(group: &str, resource: &str) -> Option<Scope> {
    BUILTIN
        .iter()
        .find(|(name, g, _)| *name == resource && *g == group)
        .map(|(_, _, scope)| *scope)
}

/// The group that serves a built-in resource named without one (`deployments` → `apps`).
pub fn default_group(resource: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(name, _, _)| *name == resource)
        .map(|(_, group, _)| *group)
}

/// Verbs the API server and its built-in authorization checks use. Others are allowed in rules
/// (extension API servers define their own) but are usually typos.
pub const KNOWN_VERBS: &[&str] = &[
    "*",
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "proxy",
    "impersonate",
    "bind",
    "escalate",
    "approve",
    "sign",
    "use",
    "attest",
];

pub fn is_known_verb(verb: &str) -> bool {
    KNOWN_VERBS.contains(&verb)
}

/// A resource as kubectl takes it: `pods`, `pods/log`, `deployments.apps`,
/// `deployments.apps/scale`. Returns (group, resource, subresource); the group is the explicit
/// `api_group`, else the one after the first dot, else the built-in default, else core.
pub fn resolve(text: &str, api_group: Option<&str>) -> (String, String, String) {
    let (resource, subresource) = text.split_once('/').unwrap_or((text, ""));
    let (resource, group) = match (api_group, resource.split_once('.')) {
        (Some(group), _) => (resource, group),
        (None, Some((resource, group))) => (resource, group),
        (None, None) => (resource, default_group(resource).unwrap_or("")),
    };
    (
        group.to_owned(),
        resource.to_ascii_lowercase(),
        subresource.to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_resolve_like_kubectl() {
        let r = |text, group| resolve(text, group);
        let owned = |g: &str, r: &str, s: &str| (g.to_owned(), r.to_owned(), s.to_owned());
        assert_eq!(r("pods/exec", None), owned("", "pods", "exec"));
        assert_eq!(r("deployments", None), owned("apps", "deployments", ""));
        assert_eq!(
            r("deployments.extensions/scale", None),
            owned("extensions", "deployments", "scale")
        );
        assert_eq!(
            r("widgets", Some("example.com")),
            owned("example.com", "widgets", "")
        );
        assert_eq!(r("widgets", None), owned("", "widgets", ""));
        assert_eq!(scope("", "nodes"), Some(Scope::Cluster));
        assert_eq!(scope("apps", "deployments"), Some(Scope::Namespaced));
        assert_eq!(scope("", "deployments"), None);
    }
}
