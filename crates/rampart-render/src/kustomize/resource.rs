//! A resource as Kustomize tracks it: the object, its identity (group, version, kind, name,
//! namespace), the identities it had before each rename (name references follow them), and
//! the prefixes and suffixes its kustomizations added.

use serde_json::{Map, Value};

/// Group, version and kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl Gvk {
    pub fn from_api_version(api_version: &str, kind: &str) -> Gvk {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        Gvk {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
        }
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// Whether this matches a selector whose empty parts match anything.
    pub fn is_selected(&self, selector: &Gvk) -> bool {
        (selector.group.is_empty() || self.group == selector.group)
            && (selector.version.is_empty() || self.version == selector.version)
            && (selector.kind.is_empty() || self.kind == selector.kind)
    }

    /// Kustomize's built-in knowledge of cluster-scoped types (its precomputed OpenAPI table):
    /// a type it does not know is namespaced.
    pub fn is_cluster_scoped(&self) -> bool {
        CLUSTER_SCOPED
            .iter()
            .any(|(av, k)| *k == self.kind && *av == self.api_version())
    }

    /// `Kind.version.group`, with Kustomize's placeholders for empty parts.
    pub fn display(&self) -> String {
        let or = |s: &str, d: &str| {
            if s.is_empty() {
                d.to_string()
            } else {
                s.to_string()
            }
        };
        format!(
            "{}.{}.{}",
            or(&self.kind, "[noKind]"),
            or(&self.version, "[noVer]"),
            or(&self.group, "[noGrp]")
        )
    }
}

const CLUSTER_SCOPED: &[(&str, &str)] = &[
    (
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
    ),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("apiregistration.k8s.io/v1beta1", "APIService"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
    ),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1beta1", "IngressClass"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("node.k8s.io/v1beta1", "RuntimeClass"),
    ("policy/v1beta1", "PodSecurityPolicy"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"),
    ("storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1", "VolumeAttachment"),
    ("storage.k8s.io/v1beta1", "CSIDriver"),
    ("storage.k8s.io/v1beta1", "CSINode"),
    ("storage.k8s.io/v1beta1", "StorageClass"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"),
    ("v1", "ComponentStatus"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "NodeProxyOptions"),
    ("v1", "PersistentVolume"),
];

/// A resource's identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Id {
    pub gvk: Gvk,
    pub name: String,
    pub namespace: String,
}

impl Id {
    /// The namespace as Kustomize compares them: `default` for none, a marker for cluster
    /// scope.
    pub fn effective_namespace(&self) -> &str {
        if self.gvk.is_cluster_scoped() {
            "_non_namespaceable_"
        } else if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    pub fn same_namespace(&self, other: &Id) -> bool {
        self.effective_namespace() == other.effective_namespace()
    }

    /// Same type, name and (effective) namespace.
    pub fn equals(&self, other: &Id) -> bool {
        self.gvk == other.gvk && self.name == other.name && self.same_namespace(other)
    }

    /// `Kind.version.group/name.namespace`, as Kustomize prints ids in its messages.
    pub fn display(&self) -> String {
        let ns = if self.namespace.is_empty() {
            "[noNs]"
        } else {
            &self.namespace
        };
        let name = if self.name.is_empty() {
            "[noName]"
        } else {
            &self.name
        };
        format!("{}/{name}.{ns}", self.gvk.display())
    }
}

/// How a generated resource meets one of the same name from a base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Behavior {
    #[default]
    Create,
    Merge,
    Replace,
}

#[derive(Debug, Clone)]
pub struct Resource {
    pub object: Map<String, Value>,
    /// The identities before each rename, oldest first (empty: never renamed).
    pub previous: Vec<Id>,
    pub prefixes: Vec<String>,
    pub suffixes: Vec<String>,
    /// The file the resource was read from (a generator's: its kustomization file).
    pub source: String,
    /// The line its document starts on there.
    pub line: usize,
    /// Whether the content hash is appended to the name at the end.
    pub needs_hash: bool,
    pub behavior: Behavior,
}

impl Resource {
    pub fn new(object: Map<String, Value>, source: String, line: usize) -> Resource {
        Resource {
            object,
            line,
            previous: Vec::new(),
            prefixes: Vec::new(),
            suffixes: Vec::new(),
            source,
            needs_hash: false,
            behavior: Behavior::Create,
        }
    }

    fn str_at(&self, path: &[&str]) -> &str {
        let mut v = self.object.get(path[0]);
        for p in &path[1..] {
            v = v.and_then(|v| v.get(p));
        }
        v.and_then(Value::as_str).unwrap_or("")
    }

    pub fn kind(&self) -> &str {
        self.str_at(&["kind"])
    }
    pub fn name(&self) -> &str {
        self.str_at(&["metadata", "name"])
    }
    pub fn namespace(&self) -> &str {
        self.str_at(&["metadata", "namespace"])
    }

    pub fn gvk(&self) -> Gvk {
        Gvk::from_api_version(self.str_at(&["apiVersion"]), self.kind())
    }

    pub fn current_id(&self) -> Id {
        Id {
            gvk: self.gvk(),
            name: self.name().into(),
            namespace: self.namespace().into(),
        }
    }

    /// The identity it was read with.
    pub fn original_id(&self) -> Id {
        self.previous
            .first()
            .cloned()
            .unwrap_or_else(|| self.current_id())
    }

    /// The current id and every previous one.
    pub fn any_id(&self) -> impl Iterator<Item = Id> + '_ {
        std::iter::once(self.current_id()).chain(self.previous.iter().cloned())
    }

    /// Kustomize records the namespace as it compares them (`default` for none).
    pub fn remember_id(&mut self) {
        let mut id = self.current_id();
        id.namespace = id.effective_namespace().to_string();
        self.previous.push(id);
    }

    pub fn metadata_mut(&mut self) -> &mut Map<String, Value> {
        let meta = self
            .object
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if !meta.is_object() {
            *meta = Value::Object(Map::new());
        }
        meta.as_object_mut().expect("an object")
    }

    pub fn set_name(&mut self, name: &str) {
        self.metadata_mut()
            .insert("name".into(), Value::String(name.into()));
    }

    pub fn set_namespace(&mut self, namespace: &str) {
        if namespace.is_empty() {
            if let Some(Value::Object(meta)) = self.object.get_mut("metadata") {
                meta.remove("namespace");
            }
        } else {
            self.metadata_mut()
                .insert("namespace".into(), Value::String(namespace.into()));
        }
    }

    pub fn set_kind(&mut self, kind: &str) {
        self.object
            .insert("kind".into(), Value::String(kind.into()));
    }

    pub fn labels(&self) -> Map<String, Value> {
        self.object
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }

    pub fn annotations(&self) -> Map<String, Value> {
        self.object
            .get("metadata")
            .and_then(|m| m.get("annotations"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }

    /// Whether two resources went through the same prefixes and suffixes, the last ones
    /// compared (Kustomize tells same-named candidates of a name reference apart by them).
    pub fn same_affixes(&self, other: &Resource, allow_empty: bool) -> bool {
        let matches = |a: &[String], b: &[String]| {
            (allow_empty && (a.is_empty() || b.is_empty())) || same_ending(a, b)
        };
        matches(&self.prefixes, &other.prefixes) && matches(&self.suffixes, &other.suffixes)
    }
}

/// Whether the shorter list ends the longer one (two empty lists do; one empty does not).
fn same_ending(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.is_empty();
    }
    long.ends_with(short)
}

impl Resource {
    /// Kustomize's reader annotates every object and its build removes those annotations
    /// again at the end, so an empty or null map of annotations goes.
    pub fn drop_empty_annotations(&mut self) {
        if let Some(Value::Object(meta)) = self.object.get_mut("metadata") {
            let empty = match meta.get("annotations") {
                Some(Value::Null) => true,
                Some(Value::Object(m)) => m.is_empty(),
                _ => false,
            };
            if empty {
                meta.remove("annotations");
            }
        }
    }
}
