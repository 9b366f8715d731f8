//! The resources the server knows the names of: the built-in API groups a cluster always
//! serves, and the extension kinds (Gateway API, admin network policies, Istio, Linkerd) it
//! serves once objects or a CustomResourceDefinition of them are in its folder.

/// One kind as discovery names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub group: String,
    pub version: String,
    pub kind: String,
    /// The plural, lower-case name in URLs (`deployments`).
    pub plural: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
}

impl Resource {
    pub fn singular(&self) -> String {
        self.kind.to_lowercase()
    }
}

pub fn group_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_owned()
    } else {
        format!("{group}/{version}")
    }
}

/// `(group, version, kind, plural, namespaced, short names)`
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [&'static str],
);

/// Served by every cluster, whether or not the folder holds objects of them.
const BUILT_IN: &[Row] = &[
    ("", "v1", "Pod", "pods", true, &["po"]),
    (
        "",
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        true,
        &["rc"],
    ),
    ("", "v1", "Service", "services", true, &["svc"]),
    ("", "v1", "ServiceAccount", "serviceaccounts", true, &["sa"]),
    ("", "v1", "Namespace", "namespaces", false, &["ns"]),
    ("", "v1", "Node", "nodes", false, &["no"]),
    ("", "v1", "ConfigMap", "configmaps", true, &["cm"]),
    ("", "v1", "Secret", "secrets", true, &[]),
    ("", "v1", "Endpoints", "endpoints", true, &["ep"]),
    (
        "",
        "v1",
        "PersistentVolume",
        "persistentvolumes",
        false,
        &["pv"],
    ),
    (
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        true,
        &["pvc"],
    ),
    ("", "v1", "LimitRange", "limitranges", true, &["limits"]),
    (
        "",
        "v1",
        "ResourceQuota",
        "resourcequotas",
        true,
        &["quota"],
    ),
    ("", "v1", "Event", "events", true, &["ev"]),
    ("apps", "v1", "Deployment", "deployments", true, &["deploy"]),
    ("apps", "v1", "StatefulSet", "statefulsets", true, &["sts"]),
    ("apps", "v1", "DaemonSet", "daemonsets", true, &["ds"]),
    ("apps", "v1", "ReplicaSet", "replicasets", true, &["rs"]),
    (
        "apps",
        "v1",
        "ControllerRevision",
        "controllerrevisions",
        true,
        &[],
    ),
    ("batch", "v1", "Job", "jobs", true, &[]),
    ("batch", "v1", "CronJob", "cronjobs", true, &["cj"]),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "Role",
        "roles",
        true,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
        "rolebindings",
        true,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
        false,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
        &[],
    ),
    (
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        &["netpol"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "Ingress",
        "ingresses",
        true,
        &["ing"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "IngressClass",
        "ingressclasses",
        false,
        &[],
    ),
    (
        "policy",
        "v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        true,
        &["pdb"],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicy",
        "validatingadmissionpolicies",
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicyBinding",
        "validatingadmissionpolicybindings",
        false,
        &[],
    ),
    (
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
        &["crd", "crds"],
    ),
    (
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        false,
        &["sc"],
    ),
    (
        "scheduling.k8s.io",
        "v1",
        "PriorityClass",
        "priorityclasses",
        false,
        &["pc"],
    ),
];

/// Names of extension kinds, used when the folder holds objects of them.
const EXTENSIONS: &[Row] = &[
    (
        "policy.networking.k8s.io",
        "v1alpha1",
        "AdminNetworkPolicy",
        "adminnetworkpolicies",
        false,
        &["anp"],
    ),
    (
        "policy.networking.k8s.io",
        "v1alpha1",
        "BaselineAdminNetworkPolicy",
        "baselineadminnetworkpolicies",
        false,
        &["banp"],
    ),
    (
        "gateway.networking.k8s.io",
        "v1",
        "GatewayClass",
        "gatewayclasses",
        false,
        &["gc"],
    ),
    (
        "gateway.networking.k8s.io",
        "v1",
        "Gateway",
        "gateways",
        true,
        &["gtw"],
    ),
    (
        "gateway.networking.k8s.io",
        "v1",
        "HTTPRoute",
        "httproutes",
        true,
        &[],
    ),
    (
        "gateway.networking.k8s.io",
        "v1",
        "GRPCRoute",
        "grpcroutes",
        true,
        &[],
    ),
    (
        "gateway.networking.k8s.io",
        "v1alpha2",
        "TCPRoute",
        "tcproutes",
        true,
        &[],
    ),
    (
        "gateway.networking.k8s.io",
        "v1alpha2",
        "TLSRoute",
        "tlsroutes",
        true,
        &[],
    ),
    (
        "gateway.networking.k8s.io",
        "v1alpha2",
        "UDPRoute",
        "udproutes",
        true,
        &[],
    ),
    (
        "gateway.networking.k8s.io",
        "v1beta1",
        "ReferenceGrant",
        "referencegrants",
        true,
        &["refgrant"],
    ),
    (
        "security.istio.io",
        "v1",
        "PeerAuthentication",
        "peerauthentications",
        true,
        &["pa"],
    ),
    (
        "security.istio.io",
        "v1",
        "AuthorizationPolicy",
        "authorizationpolicies",
        true,
        &["ap"],
    ),
    (
        "security.istio.io",
        "v1",
        "RequestAuthentication",
        "requestauthentications",
        true,
        &["ra"],
    ),
    (
        "networking.istio.io",
        "v1",
        "VirtualService",
        "virtualservices",
        true,
        &["vs"],
    ),
    (
        "networking.istio.io",
        "v1",
        "DestinationRule",
        "destinationrules",
        true,
        &["dr"],
    ),
    (
        "networking.istio.io",
        "v1",
        "Gateway",
        "gateways",
        true,
        &["gw"],
    ),
    (
        "networking.istio.io",
        "v1",
        "ServiceEntry",
        "serviceentries",
        true,
        &["se"],
    ),
    (
        "networking.istio.io",
        "v1",
        "Sidecar",
        "sidecars",
        true,
        &[],
    ),
    (
        "policy.linkerd.io",
        "v1beta3",
        "Server",
        "servers",
        true,
        &["srv"],
    ),
    (
        "policy.linkerd.io",
        "v1beta1",
        "ServerAuthorization",
        "serverauthorizations",
        true,
        &["saz"],
    ),
    (
        "policy.linkerd.io",
        "v1alpha1",
        "AuthorizationPolicy",
        "authorizationpolicies",
        true,
        &[],
    ),
    (
        "policy.linkerd.io",
        "v1alpha1",
        "MeshTLSAuthentication",
        "meshtlsauthentications",
        true,
        &[],
    ),
    (
        "policy.linkerd.io",
        "v1alpha1",
        "NetworkAuthentication",
        "networkauthentications",
        true,
        &[],
    ),
    (
        "policy.linkerd.io",
        "v1beta3",
        "HTTPRoute",
        "httproutes",
        true,
        &[],
    ),
];

fn resource(row: &Row, version: &str) -> Resource {
    let (group, _, kind, plural, namespaced, short_names) = *row;
    Resource {
        group: group.to_owned(),
        version: version.to_owned(),
        kind: kind.to_owned(),
        plural: plural.to_owned(),
        namespaced,
        short_names: short_names.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// The resources every cluster serves.
pub fn built_in() -> Vec<Resource> {
    BUILT_IN.iter().map(|row| resource(row, row.1)).collect()
}

/// Whether `group` is served by the API server itself (its versions are fixed).
pub fn is_built_in_group(group: &str) -> bool {
    BUILT_IN.iter().any(|row| row.0 == group)
}

/// The resource of `kind` in `group` at `version`, named from the tables, else as the API
/// server names a CustomResourceDefinition's plural by convention; `namespaced` is the guess
/// for a kind no table knows.
pub fn named(group: &str, version: &str, kind: &str, namespaced: bool) -> Resource {
    let known = BUILT_IN
        .iter()
        .chain(EXTENSIONS)
        .find(|row| row.0 == group && row.2 == kind);
    match known {
        Some(row) => resource(row, version),
        None => Resource {
            group: group.to_owned(),
            version: version.to_owned(),
            kind: kind.to_owned(),
            plural: plural_of(kind),
            namespaced,
            short_names: Vec::new(),
        },
    }
}

/// English plural of a lower-cased kind, as CRD authors write them.
fn plural_of(kind: &str) -> String {
    let lower = kind.to_lowercase();
    if let Some(stem) = lower.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return format!("{stem}ies");
    }
    if lower.ends_with('s')
        || lower.ends_with("sh")
        || lower.ends_with("ch")
        || lower.ends_with('x')
    {
        return format!("{lower}es");
    }
    format!("{lower}s")
}

/// Kubernetes' order of versions, most preferred first: GA before beta before alpha, then
/// higher numbers first; versions of another form last, alphabetically.
pub fn version_priority(
    version: &str,
) -> (u8, std::cmp::Reverse<u32>, std::cmp::Reverse<u32>, String) {
    use std::cmp::Reverse;
    let parsed = version.strip_prefix('v').and_then(|rest| {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let major: u32 = rest[..digits].parse().ok()?;
        let tail = &rest[digits..];
        let (stage, minor) = if tail.is_empty() {
            (0, "0")
        } else if let Some(minor) = tail.strip_prefix("beta") {
            (1, minor)
        } else if let Some(minor) = tail.strip_prefix("alpha") {
            (2, minor)
        } else {
            return None;
        };
        Some((stage, major, minor.parse::<u32>().ok()?))
    });
    match parsed {
        Some((stage, major, minor)) => (stage, Reverse(major), Reverse(minor), String::new()),
        None => (3, Reverse(0), Reverse(0), version.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_the_crd_convention() {
        assert_eq!(plural_of("Widget"), "widgets");
        assert_eq!(plural_of("NetworkPolicy"), "networkpolicies");
        assert_eq!(plural_of("Gateway"), "gateways");
        assert_eq!(plural_of("Ingress"), "ingresses");
    }

    #[test]
    fn versions_sort_as_kubernetes_prefers_them() {
        let mut versions = vec![
            "v1alpha1", "v1beta1", "v2", "v1", "v2beta1", "foo", "v1beta2",
        ];
        versions.sort_by_key(|v| version_priority(v));
        assert_eq!(
            versions,
            [
                "v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "foo"
            ]
        );
    }
}
