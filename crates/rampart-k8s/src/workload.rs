//! The one place that knows where a pod spec lives inside each workload kind, and how the
//! kubelet combines pod-level and container-level security settings.

use rampart_source::{Node, Object};

/// The pod spec of a Pod, or the pod template of a workload that creates pods.
#[derive(Debug, Clone, Copy)]
pub struct PodTemplate<'a> {
    pub object: &'a Object,
    /// The pod's `metadata` (the template's, for workloads); null when absent.
    pub metadata: &'a Node,
    pub metadata_pointer: &'static str,
    /// The pod `spec`.
    pub spec: &'a Node,
    pub spec_pointer: &'static str,
}

/// Where the pod template's metadata and spec sit, per kind.
pub(crate) fn template_pointers(
    api_version: &str,
    kind: &str,
) -> Option<(&'static str, &'static str)> {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    Some(match (group, kind) {
        ("", "Pod") => ("/metadata", "/spec"),
        ("", "PodTemplate") => ("/template/metadata", "/template/spec"),
        ("", "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet")
        | ("batch", "Job") => ("/spec/template/metadata", "/spec/template/spec"),
        ("batch", "CronJob") => (
            "/spec/jobTemplate/spec/template/metadata",
            "/spec/jobTemplate/spec/template/spec",
        ),
        _ => return None,
    })
}

/// The pod template of `object`, if its kind runs pods and the spec is present.
pub fn pod_template(object: &Object) -> Option<PodTemplate<'_>> {
    let (metadata_pointer, spec_pointer) = template_pointers(&object.api_version, &object.kind)?;
    let spec = object.root.pointer(spec_pointer)?;
    let metadata = object
        .root
        .pointer(metadata_pointer)
        .unwrap_or(Node::null());
    Some(PodTemplate {
        object,
        metadata,
        metadata_pointer,
        spec,
        spec_pointer,
    })
}

/// Whether `kind` in `api_version` is a kind that runs pods.
pub fn runs_pods(api_version: &str, kind: &str) -> bool {
    template_pointers(api_version, kind).is_some()
}

/// The three lists of containers a pod has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    /// The pod spec field that holds containers of this kind.
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    /// All kinds, in the order Pod Security Admission visits them.
    pub const ALL: [ContainerKind; 3] = [
        ContainerKind::Init,
        ContainerKind::Regular,
        ContainerKind::Ephemeral,
    ];
}

/// One container of a pod template, with its JSON pointer inside the object.
#[derive(Debug, Clone)]
pub struct ContainerRef<'a> {
    pub kind: ContainerKind,
    pub index: usize,
    pub node: &'a Node,
    pub pointer: String,
}

impl<'a> ContainerRef<'a> {
    pub fn name(&self) -> &'a str {
        self.node.get("name").and_then(Node::as_str).unwrap_or("")
    }

    /// A field of the container's own `securityContext`.
    pub fn security(&self, field: &str) -> Option<&'a Node> {
        self.node
            .path(&["securityContext", field])
            .filter(|n| !n.is_null())
    }

    /// The pointer of a field of the container's `securityContext`.
    pub fn security_pointer(&self, field: &str) -> String {
        format!("{}/securityContext/{field}", self.pointer)
    }
}

/// A setting that may come from the container or be inherited from the pod, with where it was
/// found (or, when it is set nowhere, where it should go).
#[derive(Debug, Clone)]
pub struct Effective<'a> {
    pub value: Option<&'a Node>,
    pub pointer: String,
    /// True when the value came from the pod-level `securityContext`.
    pub inherited: bool,
}

impl<'a> PodTemplate<'a> {
    /// Every container of every kind, init containers first, as PSA lists them.
    pub fn containers(&self) -> impl Iterator<Item = ContainerRef<'a>> + '_ {
        ContainerKind::ALL.into_iter().flat_map(move |kind| {
            let list = self.spec.get(kind.field()).map(Node::items).unwrap_or(&[]);
            list.iter()
                .enumerate()
                .map(move |(index, node)| ContainerRef {
                    kind,
                    index,
                    node,
                    pointer: format!("{}/{}/{index}", self.spec_pointer, kind.field()),
                })
        })
    }

    /// A field of the pod-level `securityContext`.
    pub fn pod_security(&self, field: &str) -> Option<&'a Node> {
        self.spec
            .path(&["securityContext", field])
            .filter(|n| !n.is_null())
    }

    pub fn pod_security_pointer(&self, field: &str) -> String {
        format!("{}/securityContext/{field}", self.spec_pointer)
    }

    /// The value the kubelet applies for a setting that exists on both the pod and the
    /// container security context (`runAsUser`, `runAsGroup`, `runAsNonRoot`, `seLinuxOptions`,
    /// `seccompProfile`, `appArmorProfile`, `windowsOptions`): the container's wins when set.
    pub fn effective(&self, container: &ContainerRef<'a>, field: &str) -> Effective<'a> {
        if let Some(value) = container.security(field) {
            return Effective {
                value: Some(value),
                pointer: container.security_pointer(field),
                inherited: false,
            };
        }
        match self.pod_security(field) {
            Some(value) => Effective {
                value: Some(value),
                pointer: self.pod_security_pointer(field),
                inherited: true,
            },
            None => Effective {
                value: None,
                pointer: container.security_pointer(field),
                inherited: false,
            },
        }
    }

    /// The pod's volumes.
    pub fn volumes(&self) -> impl Iterator<Item = (usize, &'a Node)> {
        self.spec
            .get("volumes")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
    }

    pub fn volume_pointer(&self, index: usize) -> String {
        format!("{}/volumes/{index}", self.spec_pointer)
    }

    /// Whether the pod declares itself a Windows pod (`spec.os.name: windows`), where
    /// Linux-only settings (capabilities, seccomp, UIDs) do not apply.
    pub fn is_windows(&self) -> bool {
        self.spec.path(&["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// Whether the pod runs in its own user namespace (`hostUsers: false`), where container
    /// UIDs and GIDs map to unprivileged IDs on the node.
    pub fn in_user_namespace(&self) -> bool {
        self.spec.get("hostUsers").and_then(Node::as_bool) == Some(false)
    }

    /// The pod-level boolean `field` (`hostNetwork`, `hostPID`, ...), false when unset.
    pub fn spec_flag(&self, field: &str) -> bool {
        self.spec
            .get(field)
            .and_then(Node::as_bool)
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    fn objects(text: &str) -> Vec<Object> {
        let (objects, errors) = parse_text("t.yaml", text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        objects
    }

    const POD_SPEC: &str = "
      securityContext: {runAsNonRoot: true, runAsUser: 1000}
      initContainers: [{name: init, image: busybox}]
      containers:
      - name: app
        image: app
        securityContext: {runAsUser: 0}
      ephemeralContainers: [{name: debug, image: busybox}]";

    #[test]
    fn finds_the_pod_spec_in_every_kind() {
        let indent = |n: usize| POD_SPEC.replace("\n      ", &format!("\n{}", " ".repeat(n)));
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:{}\n---\n\
             apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  template:\n    spec:{}\n---\n\
             apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: c}}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:{}\n---\n\
             apiVersion: v1\nkind: PodTemplate\nmetadata: {{name: t}}\ntemplate:\n  spec:{}\n---\n\
             apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec: {{}}\n",
            indent(2),
            indent(6),
            indent(10),
            indent(4)
        );
        let objects = objects(&text);
        assert_eq!(objects.len(), 5);
        for object in &objects[..4] {
            let pod = pod_template(object).expect(&object.kind);
            let containers: Vec<_> = pod
                .containers()
                .map(|c| (c.kind, c.name().to_owned()))
                .collect();
            assert_eq!(
                containers,
                [
                    (ContainerKind::Init, "init".to_owned()),
                    (ContainerKind::Regular, "app".to_owned()),
                    (ContainerKind::Ephemeral, "debug".to_owned())
                ],
                "{}",
                object.kind
            );
            assert!(crate::shape_errors(object).is_empty());
        }
        assert!(pod_template(&objects[4]).is_none());
        let cron = pod_template(&objects[2]).unwrap();
        assert_eq!(cron.spec_pointer, "/spec/jobTemplate/spec/template/spec");
    }

    #[test]
    fn container_settings_override_the_pod() {
        let objects = objects(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:{POD_SPEC}\n"
        ));
        let pod = pod_template(&objects[0]).unwrap();
        let containers: Vec<_> = pod.containers().collect();
        let init = pod.effective(&containers[0], "runAsUser");
        assert_eq!(init.value.and_then(Node::as_i64), Some(1000));
        assert!(init.inherited);
        assert_eq!(init.pointer, "/spec/securityContext/runAsUser");
        let app = pod.effective(&containers[1], "runAsUser");
        assert_eq!(app.value.and_then(Node::as_i64), Some(0));
        assert!(!app.inherited);
        assert_eq!(app.pointer, "/spec/containers/0/securityContext/runAsUser");
        let unset = pod.effective(&containers[1], "seccompProfile");
        assert!(unset.value.is_none());
        assert_eq!(
            unset.pointer,
            "/spec/containers/0/securityContext/seccompProfile"
        );
    }
}
