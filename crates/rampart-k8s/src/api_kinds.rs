//! Which kinds each built-in API group and version serves, and in which Kubernetes releases,
//! so that an object the API server would refuse for its `apiVersion` and `kind` alone
//! (`apiVersion: v1`, `kind: Deployment`) is reported rather than scanned in silence.
//!
//! The table lists the generally available and beta versions of the built-in groups, with the
//! release that stopped serving the removed ones (Kubernetes' deprecated API migration guide).
//! A version it does not list (an alpha, a version newer than the table, a group served by an
//! aggregated API server or a CRD installed elsewhere) is not judged. CustomResourceDefinitions
//! in the scan add their kinds, and refuse their own kinds in versions they do not serve.

use std::collections::HashMap;

use rampart_core::Diagnostic;
use rampart_source::{Node, Object};

/// One group and version, the kinds it serves, and the first release that no longer serves
/// them (`None`: still served). A version whose kinds were removed at different releases has
/// one row per release.
struct Served {
    api_version: &'static str,
    removed_in: Option<u32>,
    kinds: &'static [&'static str],
}

const fn served(api_version: &'static str, kinds: &'static [&'static str]) -> Served {
    Served {
        api_version,
        removed_in: None,
        kinds,
    }
}

/// Served until Kubernetes 1.`removed_in` (exclusive): `removed(_, 16, _)` is gone from 1.16.
const fn removed(
    api_version: &'static str,
    removed_in: u32,
    kinds: &'static [&'static str],
) -> Served {
    Served {
        api_version,
        removed_in: Some(removed_in),
        kinds,
    }
}

const RBAC: &[&str] = &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];
const ACCESS_REVIEWS: &[&str] = &[
    "LocalSubjectAccessReview",
    "SelfSubjectAccessReview",
    "SelfSubjectRulesReview",
    "SubjectAccessReview",
];
const FLOW_CONTROL: &[&str] = &["FlowSchema", "PriorityLevelConfiguration"];
const DYNAMIC_RESOURCES: &[&str] = &[
    "DeviceClass",
    "ResourceClaim",
    "ResourceClaimTemplate",
    "ResourceSlice",
];
const WEBHOOKS: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];
const ADMISSION_POLICIES: &[&str] = &[
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
];

const BUILT_IN: &[Served] = &[
    served(
        "v1",
        &[
            "Binding",
            "ComponentStatus",
            "ConfigMap",
            "Endpoints",
            "Event",
            "LimitRange",
            "List",
            "Namespace",
            "Node",
            "NodeProxyOptions",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "Pod",
            "PodAttachOptions",
            "PodExecOptions",
            "PodLogOptions",
            "PodPortForwardOptions",
            "PodProxyOptions",
            "PodStatusResult",
            "PodTemplate",
            "RangeAllocation",
            "ReplicationController",
            "ResourceQuota",
            "Secret",
            "SerializedReference",
            "Service",
            "ServiceAccount",
            "ServiceProxyOptions",
        ],
    ),
    served(
        "apps/v1",
        &[
            "ControllerRevision",
            "DaemonSet",
            "Deployment",
            "ReplicaSet",
            "StatefulSet",
        ],
    ),
    removed(
        "apps/v1beta1",
        16,
        &[
            "ControllerRevision",
            "Deployment",
            "DeploymentRollback",
            "Scale",
            "StatefulSet",
        ],
    ),
    removed(
        "apps/v1beta2",
        16,
        &[
            "ControllerRevision",
            "DaemonSet",
            "Deployment",
            "ReplicaSet",
            "Scale",
            "StatefulSet",
        ],
    ),
    removed(
        "extensions/v1beta1",
        16,
        &[
            "DaemonSet",
            "Deployment",
            "DeploymentRollback",
            "NetworkPolicy",
            "PodSecurityPolicy",
            "ReplicaSet",
            "ReplicationControllerDummy",
            "Scale",
        ],
    ),
    removed("extensions/v1beta1", 22, &["Ingress"]),
    served("batch/v1", &["CronJob", "Job"]),
    removed("batch/v1beta1", 25, &["CronJob"]),
    served("autoscaling/v1", &["HorizontalPodAutoscaler", "Scale"]),
    served("autoscaling/v2", &["HorizontalPodAutoscaler"]),
    removed("autoscaling/v2beta1", 25, &["HorizontalPodAutoscaler"]),
    removed("autoscaling/v2beta2", 26, &["HorizontalPodAutoscaler"]),
    served("policy/v1", &["Eviction", "PodDisruptionBudget"]),
    removed(
        "policy/v1beta1",
        25,
        &["Eviction", "PodDisruptionBudget", "PodSecurityPolicy"],
    ),
    served(
        "networking.k8s.io/v1",
        &[
            "IPAddress",
            "Ingress",
            "IngressClass",
            "NetworkPolicy",
            "ServiceCIDR",
        ],
    ),
    removed(
        "networking.k8s.io/v1beta1",
        22,
        &["Ingress", "IngressClass"],
    ),
    served("networking.k8s.io/v1beta1", &["IPAddress", "ServiceCIDR"]),
    served("rbac.authorization.k8s.io/v1", RBAC),
    removed("rbac.authorization.k8s.io/v1beta1", 22, RBAC),
    served(
        "storage.k8s.io/v1",
        &[
            "CSIDriver",
            "CSINode",
            "CSIStorageCapacity",
            "StorageClass",
            "VolumeAttachment",
            "VolumeAttributesClass",
        ],
    ),
    removed(
        "storage.k8s.io/v1beta1",
        22,
        &["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
    ),
    removed("storage.k8s.io/v1beta1", 27, &["CSIStorageCapacity"]),
    served("storage.k8s.io/v1beta1", &["VolumeAttributesClass"]),
    served(
        "admissionregistration.k8s.io/v1",
        &[
            "MutatingAdmissionPolicy",
            "MutatingAdmissionPolicyBinding",
            "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "ValidatingWebhookConfiguration",
        ],
    ),
    removed("admissionregistration.k8s.io/v1beta1", 22, WEBHOOKS),
    served("admissionregistration.k8s.io/v1beta1", ADMISSION_POLICIES),
    served("apiextensions.k8s.io/v1", &["CustomResourceDefinition"]),
    removed(
        "apiextensions.k8s.io/v1beta1",
        22,
        &["CustomResourceDefinition"],
    ),
    served("apiregistration.k8s.io/v1", &["APIService"]),
    removed("apiregistration.k8s.io/v1beta1", 22, &["APIService"]),
    served(
        "authentication.k8s.io/v1",
        &["SelfSubjectReview", "TokenRequest", "TokenReview"],
    ),
    removed("authentication.k8s.io/v1beta1", 22, &["TokenReview"]),
    served("authentication.k8s.io/v1beta1", &["SelfSubjectReview"]),
    served("authorization.k8s.io/v1", ACCESS_REVIEWS),
    removed("authorization.k8s.io/v1beta1", 22, ACCESS_REVIEWS),
    served("certificates.k8s.io/v1", &["CertificateSigningRequest"]),
    removed(
        "certificates.k8s.io/v1beta1",
        22,
        &["CertificateSigningRequest"],
    ),
    served("certificates.k8s.io/v1beta1", &["ClusterTrustBundle"]),
    served("coordination.k8s.io/v1", &["Lease"]),
    removed("coordination.k8s.io/v1beta1", 22, &["Lease"]),
    served("coordination.k8s.io/v1beta1", &["LeaseCandidate"]),
    served("discovery.k8s.io/v1", &["EndpointSlice"]),
    removed("discovery.k8s.io/v1beta1", 25, &["EndpointSlice"]),
    served("events.k8s.io/v1", &["Event"]),
    removed("events.k8s.io/v1beta1", 25, &["Event"]),
    served("node.k8s.io/v1", &["RuntimeClass"]),
    removed("node.k8s.io/v1beta1", 25, &["RuntimeClass"]),
    served("scheduling.k8s.io/v1", &["PriorityClass"]),
    removed("scheduling.k8s.io/v1beta1", 22, &["PriorityClass"]),
    served("flowcontrol.apiserver.k8s.io/v1", FLOW_CONTROL),
    removed("flowcontrol.apiserver.k8s.io/v1beta1", 26, FLOW_CONTROL),
    removed("flowcontrol.apiserver.k8s.io/v1beta2", 29, FLOW_CONTROL),
    removed("flowcontrol.apiserver.k8s.io/v1beta3", 32, FLOW_CONTROL),
    served("resource.k8s.io/v1", DYNAMIC_RESOURCES),
    served("resource.k8s.io/v1beta1", DYNAMIC_RESOURCES),
    served("resource.k8s.io/v1beta2", DYNAMIC_RESOURCES),
];

/// Kinds every group version carries for its own requests and answers (the API machinery
/// registers them everywhere), valid in any listed version.
const MACHINERY_KINDS: &[&str] = &[
    "APIGroup",
    "APIGroupList",
    "APIResourceList",
    "APIVersions",
    "CreateOptions",
    "DeleteOptions",
    "GetOptions",
    "ListOptions",
    "PatchOptions",
    "Status",
    "UpdateOptions",
    "WatchEvent",
];

/// Configuration files that say `apiVersion: v1` without being API objects: kubeconfigs, the
/// scheduler's legacy `Policy` and the first encryption configuration format.
const CONFIG_FILE_KINDS: &[&str] = &["Config", "EncryptionConfig", "Policy"];

/// The versions a CustomResourceDefinition serves its kind in.
#[derive(Debug, Default)]
struct CrdVersions {
    crd: String,
    served: Vec<String>,
}

/// The built-in table and the kinds the scanned CRDs define.
#[derive(Debug, Default)]
pub struct ApiKinds {
    /// (group, kind) -> versions, from the scanned CRDs.
    crds: HashMap<(String, String), CrdVersions>,
}

impl ApiKinds {
    /// The built-in table, with the CustomResourceDefinitions among `objects`.
    pub fn new(objects: &[Object]) -> ApiKinds {
        let mut crds: HashMap<(String, String), CrdVersions> = HashMap::new();
        for crd in objects.iter().filter(|o| {
            o.kind == "CustomResourceDefinition"
                && o.api_version.starts_with("apiextensions.k8s.io/")
        }) {
            let spec = crd.root.get("spec").unwrap_or(Node::null());
            let group = spec.get("group").and_then(Node::as_str);
            let kind = spec.path(&["names", "kind"]).and_then(Node::as_str);
            let (Some(group), Some(kind)) = (group, kind) else {
                continue;
            };
            let entry = crds.entry((group.to_owned(), kind.to_owned())).or_default();
            entry.crd = crd.name.clone();
            // v1: `versions` with `served`; v1beta1 also `version`, served.
            for version in spec.get("versions").map(Node::items).unwrap_or_default() {
                let served = version.get("served").and_then(Node::as_bool) != Some(false);
                if let (true, Some(name)) = (served, version.get("name").and_then(Node::as_str)) {
                    entry.served.push(name.to_owned());
                }
            }
            if let Some(version) = spec.get("version").and_then(Node::as_str) {
                entry.served.push(version.to_owned());
            }
        }
        ApiKinds { crds }
    }

    /// The error for an object whose `apiVersion` does not serve its `kind`, as the API server
    /// would refuse it, or `None` when it is served (or rampart does not know the version).
    pub fn refusal(&self, object: &Object) -> Option<Diagnostic> {
        let problem = self.problem(&object.api_version, &object.kind)?;
        let line = object
            .root
            .entry("apiVersion")
            .map_or(object.root.span.line, |entry| entry.key_span.line);
        let name = match (&object.namespace, object.name.as_str()) {
            (_, "") => "(unnamed)".to_owned(),
            (Some(namespace), name) => format!("{namespace}/{name}"),
            (None, name) => name.to_owned(),
        };
        Some(Diagnostic::error(
            object.path.to_string(),
            Some(line),
            format!("{} {name}: {problem}", object.kind),
        ))
    }

    fn problem(&self, api_version: &str, kind: &str) -> Option<String> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        if let Some(crd) = self.crds.get(&(group.to_owned(), kind.to_owned())) {
            return (!crd.served.iter().any(|v| v == version)).then(|| {
                format!(
                    "the CustomResourceDefinition {} serves {kind} in {} only, not in \
                     {api_version}; the API server refuses it",
                    crd.crd,
                    join_versions(group, &crd.served),
                )
            });
        }
        let rows: Vec<&Served> = BUILT_IN
            .iter()
            .filter(|row| row.api_version == api_version)
            .collect();
        if rows.is_empty()
            || MACHINERY_KINDS.contains(&kind)
            || (api_version == "v1" && CONFIG_FILE_KINDS.contains(&kind))
        {
            return None;
        }
        // A list of a served kind (`PodList`) is served with it.
        let base = kind
            .strip_suffix("List")
            .filter(|base| !base.is_empty())
            .unwrap_or(kind);
        let row = rows
            .iter()
            .find(|row| row.kinds.contains(&kind) || row.kinds.contains(&base));
        let instead = serving(kind)
            .map(|api| format!("; {api} serves {kind}"))
            .unwrap_or_default();
        match row {
            Some(Served {
                removed_in: None, ..
            }) => None,
            Some(Served {
                removed_in: Some(release),
                ..
            }) => Some(format!(
                "{api_version} {kind} is no longer served since Kubernetes 1.{release}: the API \
                 server refuses it{instead}"
            )),
            None => Some(format!(
                "{api_version} serves no kind {kind}: the API server refuses it{instead}"
            )),
        }
    }
}

/// The API version that serves `kind` today, preferring a generally available one.
fn serving(kind: &str) -> Option<&'static str> {
    let current = || {
        BUILT_IN
            .iter()
            .filter(|row| row.removed_in.is_none() && row.kinds.contains(&kind))
    };
    current()
        .find(|row| !row.api_version.contains("beta"))
        .or_else(|| current().next())
        .map(|row| row.api_version)
}

fn join_versions(group: &str, versions: &[String]) -> String {
    let full: Vec<String> = versions
        .iter()
        .map(|version| match group {
            "" => version.clone(),
            group => format!("{group}/{version}"),
        })
        .collect();
    match full.is_empty() {
        true => "no version".to_owned(),
        false => full.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_source::{Limits, parse_text};

    fn refusals(text: &str) -> Vec<(Option<u32>, String)> {
        let (objects, errors) = parse_text("k.yaml", text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let kinds = ApiKinds::new(&objects);
        objects
            .iter()
            .filter_map(|object| kinds.refusal(object))
            .map(|error| (error.line, error.message))
            .collect()
    }

    #[test]
    fn a_kind_its_version_never_served_is_refused() {
        let text = "apiVersion: v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n---\napiVersion: apps/v1\nkind: Pod\nmetadata: {name: p}\n";
        assert_eq!(
            refusals(text),
            [
                (
                    Some(1),
                    "Deployment shop/web: v1 serves no kind Deployment: the API server \
                     refuses it; apps/v1 serves Deployment"
                        .to_owned()
                ),
                (
                    Some(5),
                    "Pod p: apps/v1 serves no kind Pod: the API server refuses it; v1 serves \
                     Pod"
                    .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn removed_versions_say_since_when() {
        let text = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: b}\n---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: c}\n";
        let messages: Vec<_> = refusals(text).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            messages,
            [
                "Deployment a: extensions/v1beta1 Deployment is no longer served since \
                 Kubernetes 1.16: the API server refuses it; apps/v1 serves Deployment",
                "Ingress b: extensions/v1beta1 Ingress is no longer served since Kubernetes \
                 1.22: the API server refuses it; networking.k8s.io/v1 serves Ingress",
                "PodSecurityPolicy c: policy/v1beta1 PodSecurityPolicy is no longer served \
                 since Kubernetes 1.25: the API server refuses it",
            ]
        );
    }

    #[test]
    fn served_kinds_lists_and_unknown_versions_pass() {
        let text = "apiVersion: v1\nkind: PodList\nmetadata: {}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Status\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Config\nclusters: []\nmetadata: {}\n---\napiVersion: apps/v1alpha9\nkind: Anything\nmetadata: {name: x}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata: {name: c}\n";
        assert_eq!(refusals(text), []);
    }

    #[test]
    fn scanned_crds_add_their_kinds_and_refuse_other_versions() {
        let text = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  versions:\n  - {name: v1, served: true}\n  - {name: v1beta1, served: false}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ok}\n---\napiVersion: example.com/v1beta1\nkind: Widget\nmetadata: {name: old}\n---\napiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: other}\n";
        assert_eq!(
            refusals(text),
            [(
                Some(15),
                "Widget old: the CustomResourceDefinition widgets.example.com serves Widget in \
                 example.com/v1 only, not in example.com/v1beta1; the API server refuses it"
                    .to_owned()
            )]
        );
    }
}
