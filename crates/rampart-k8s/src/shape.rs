//! The types the Kubernetes API requires of the fields rampart's analyses read, as one table,
//! and the checker that walks an object along it.
//!
//! The analyses read a mistyped field (`privileged: "true"`) as absent, as they must to stay
//! total; the API server would reject the object. So that nothing is skipped silently, every
//! such field, and every required field that is missing, becomes a [`Diagnostic`] naming the
//! object, the JSON pointer, what the API expects and what was found.
//!
//! The table lists the fields the analyses read and the ones the API requires; fields it does
//! not list are not checked.

use std::fmt;

use rampart_core::Diagnostic;
use rampart_source::{Node, Object, Value, push_pointer};

use crate::workload::template_pointers;
use rampart_core::ImageRef;
use table::{OBJECT, POD_SPEC, TEMPLATE_METADATA, WORKLOAD};

/// What the API accepts at a field.
#[derive(Debug, Clone, Copy)]
enum Type {
    Bool,
    Integer,
    /// A port number, 1 to 65535.
    Port,
    String,
    NonEmptyString,
    /// One of these strings, spelled exactly.
    OneOf(&'static [&'static str]),
    /// A resource quantity: a string (`500m`, `1Gi`) or a number.
    Quantity,
    /// A port number or a port name (probe handlers).
    IntOrString,
    /// A container image reference the runtime can pull.
    Image,
    /// An object whose values all have this type (labels, resource limits).
    Map(&'static Type),
    Object(&'static [Field]),
    Array(&'static Type),
    /// An array with at least one item (a pod's `containers`).
    NonEmptyArray(&'static Type),
}

#[derive(Debug, Clone, Copy)]
enum Presence {
    Optional,
    Required,
    /// Required unless the named sibling is set (`name` or `generateName`).
    RequiredUnless(&'static str),
}

/// One entry of an object's table.
#[derive(Debug, Clone, Copy)]
enum Field {
    Key {
        key: &'static str,
        ty: Type,
        presence: Presence,
    },
    /// The fields of another table belong to this object too (the security context fields that
    /// pods and containers share).
    Include(&'static [Field]),
}

const fn optional(key: &'static str, ty: Type) -> Field {
    Field::Key {
        key,
        ty,
        presence: Presence::Optional,
    }
}

const fn required(key: &'static str, ty: Type) -> Field {
    Field::Key {
        key,
        ty,
        presence: Presence::Required,
    }
}

/// The type and presence the table gives `key`, looking into included tables.
fn lookup(fields: &'static [Field], key: &str) -> Option<(&'static Type, Presence)> {
    fields.iter().find_map(|field| match field {
        Field::Key {
            key: name,
            ty,
            presence,
        } => (*name == key).then_some((ty, *presence)),
        Field::Include(fields) => lookup(fields, key),
    })
}

/// The table. Pointers into it start at the object's root ([`OBJECT`], [`WORKLOAD`]), at the pod
/// spec ([`POD_SPEC`]), or at a pod template's metadata ([`TEMPLATE_METADATA`]).
mod table {
    use super::Type::*;
    use super::{Field, Presence, Type, optional, required};

    const STRINGS: Type = Array(&String);

    const LABELS_AND_ANNOTATIONS: &[Field] = &[
        optional("labels", Map(&String)),
        optional("annotations", Map(&String)),
    ];

    /// A pod template's metadata; its pod needs no name of its own.
    pub(super) const TEMPLATE_METADATA: Type = Object(LABELS_AND_ANNOTATIONS);

    const METADATA: &[Field] = &[
        Field::Key {
            key: "name",
            ty: NonEmptyString,
            presence: Presence::RequiredUnless("generateName"),
        },
        optional("generateName", NonEmptyString),
        optional("namespace", String),
        Field::Include(LABELS_AND_ANNOTATIONS),
        optional(
            "ownerReferences",
            Array(&Object(&[
                required("apiVersion", NonEmptyString),
                required("kind", NonEmptyString),
                required("name", NonEmptyString),
                optional("controller", Bool),
            ])),
        ),
    ];

    /// Any object: `metadata` is checked when present. Configuration files that share the
    /// `apiVersion`/`kind` header (kubeconfig, Kustomization, KubeletConfiguration) have none.
    pub(super) const OBJECT: &[Field] = &[optional("metadata", Object(METADATA))];

    /// An object that runs pods: the API server requires its name.
    pub(super) const WORKLOAD: &[Field] = &[required("metadata", Object(METADATA))];

    /// A seccomp or AppArmor profile.
    const PROFILE: Type = Object(&[
        required(
            "type",
            OneOf(&["RuntimeDefault", "Unconfined", "Localhost"]),
        ),
        optional("localhostProfile", String),
    ]);

    /// Security context fields a container inherits from the pod when it does not set them.
    const SHARED_SECURITY_CONTEXT: &[Field] = &[
        optional("runAsUser", Integer),
        optional("runAsGroup", Integer),
        optional("runAsNonRoot", Bool),
        optional("seccompProfile", PROFILE),
        optional("appArmorProfile", PROFILE),
        optional(
            "seLinuxOptions",
            Object(&[
                optional("user", String),
                optional("role", String),
                optional("type", String),
                optional("level", String),
            ]),
        ),
        optional(
            "windowsOptions",
            Object(&[
                optional("hostProcess", Bool),
                optional("runAsUserName", String),
                optional("gmsaCredentialSpecName", String),
                optional("gmsaCredentialSpec", String),
            ]),
        ),
    ];

    const POD_SECURITY_CONTEXT: &[Field] = &[
        Field::Include(SHARED_SECURITY_CONTEXT),
        optional("fsGroup", Integer),
        optional("supplementalGroups", Array(&Integer)),
        optional(
            "sysctls",
            Array(&Object(&[
                required("name", NonEmptyString),
                required("value", String),
            ])),
        ),
    ];

    const CONTAINER_SECURITY_CONTEXT: &[Field] = &[
        Field::Include(SHARED_SECURITY_CONTEXT),
        optional("privileged", Bool),
        optional("allowPrivilegeEscalation", Bool),
        optional("readOnlyRootFilesystem", Bool),
        optional("procMount", OneOf(&["Default", "Unmasked"])),
        optional(
            "capabilities",
            Object(&[optional("add", STRINGS), optional("drop", STRINGS)]),
        ),
    ];

    /// What a probe or lifecycle hook runs; `host` is where the kubelet connects.
    const HANDLER: &[Field] = &[
        optional("exec", Object(&[optional("command", STRINGS)])),
        optional(
            "httpGet",
            Object(&[
                required("port", IntOrString),
                optional("host", String),
                optional("path", String),
                optional("scheme", OneOf(&["HTTP", "HTTPS"])),
            ]),
        ),
        optional(
            "tcpSocket",
            Object(&[required("port", IntOrString), optional("host", String)]),
        ),
        optional("grpc", Object(&[required("port", Integer)])),
    ];

    const PROBE: Type = Object(HANDLER);

    const LIFECYCLE: Type = Object(&[
        optional("postStart", Object(HANDLER)),
        optional("preStop", Object(HANDLER)),
    ]);

    /// `name` of a Secret or ConfigMap, and for one value, its `key`.
    const REFERENCE: Type = Object(&[optional("name", String), optional("optional", Bool)]);
    const KEY_REFERENCE: Type = Object(&[
        required("key", NonEmptyString),
        optional("name", String),
        optional("optional", Bool),
    ]);

    /// Containers, init containers and ephemeral containers: the API requires an image of all three.
    const CONTAINER: Type = Object(&[
        required("name", NonEmptyString),
        required("image", Image),
        optional(
            "imagePullPolicy",
            OneOf(&["Always", "IfNotPresent", "Never"]),
        ),
        optional("restartPolicy", OneOf(&["Always"])),
        optional("securityContext", Object(CONTAINER_SECURITY_CONTEXT)),
        optional(
            "ports",
            Array(&Object(&[
                required("containerPort", Port),
                optional("hostPort", Integer),
                optional("protocol", OneOf(&["TCP", "UDP", "SCTP"])),
                optional("name", String),
                optional("hostIP", String),
            ])),
        ),
        optional(
            "env",
            Array(&Object(&[
                required("name", NonEmptyString),
                optional("value", String),
                optional(
                    "valueFrom",
                    Object(&[
                        optional("secretKeyRef", KEY_REFERENCE),
                        optional("configMapKeyRef", KEY_REFERENCE),
                    ]),
                ),
            ])),
        ),
        optional(
            "envFrom",
            Array(&Object(&[
                optional("prefix", String),
                optional("secretRef", REFERENCE),
                optional("configMapRef", REFERENCE),
            ])),
        ),
        optional(
            "resources",
            Object(&[
                optional("limits", Map(&Quantity)),
                optional("requests", Map(&Quantity)),
            ]),
        ),
        optional(
            "volumeMounts",
            Array(&Object(&[
                required("name", NonEmptyString),
                required("mountPath", NonEmptyString),
                optional("readOnly", Bool),
                optional("subPath", String),
            ])),
        ),
        optional("livenessProbe", PROBE),
        optional("readinessProbe", PROBE),
        optional("startupProbe", PROBE),
        optional("lifecycle", LIFECYCLE),
    ]);

    const VOLUME: Type = Object(&[
        required("name", NonEmptyString),
        optional(
            "hostPath",
            Object(&[required("path", String), optional("type", String)]),
        ),
        optional(
            "emptyDir",
            Object(&[optional("medium", String), optional("sizeLimit", Quantity)]),
        ),
        optional(
            "projected",
            Object(&[optional(
                "sources",
                Array(&Object(&[optional(
                    "serviceAccountToken",
                    Object(&[
                        required("path", NonEmptyString),
                        optional("audience", String),
                        optional("expirationSeconds", Integer),
                    ]),
                )])),
            )]),
        ),
    ]);

    pub(super) const POD_SPEC: &[Field] = &[
        required("containers", NonEmptyArray(&CONTAINER)),
        optional("initContainers", Array(&CONTAINER)),
        optional("ephemeralContainers", Array(&CONTAINER)),
        optional("hostNetwork", Bool),
        optional("hostPID", Bool),
        optional("hostIPC", Bool),
        optional("shareProcessNamespace", Bool),
        optional("automountServiceAccountToken", Bool),
        optional("hostUsers", Bool),
        optional("serviceAccountName", String),
        optional("serviceAccount", String),
        optional("restartPolicy", OneOf(&["Always", "OnFailure", "Never"])),
        optional("securityContext", Object(POD_SECURITY_CONTEXT)),
        optional("volumes", Array(&VOLUME)),
        optional(
            "os",
            Object(&[required("name", OneOf(&["linux", "windows"]))]),
        ),
    ];
}

/// Checks `object` against the table: its metadata, and for a kind that runs pods, the path to
/// its pod template and the pod spec with every container. Returns one error per field the API
/// would reject; nothing is allocated when there is none.
pub fn shape_errors(object: &Object) -> Vec<Diagnostic> {
    let mut checker = Checker {
        object,
        errors: Vec::new(),
    };
    let root = Trail::Root("");
    let Some((metadata_pointer, spec_pointer)) =
        template_pointers(&object.api_version, &object.kind)
    else {
        checker.fields(&object.root, OBJECT, &root);
        checker
            .errors
            .extend(crate::components::files::config_errors(object));
        return checker.errors;
    };
    checker.fields(&object.root, WORKLOAD, &root);
    if let Some(spec) = checker.required_objects(spec_pointer) {
        checker.fields(spec, POD_SPEC, &Trail::Root(spec_pointer));
    }
    // A Pod's metadata is the object's, checked above.
    if metadata_pointer != "/metadata"
        && let Some(metadata) = object.root.pointer(metadata_pointer)
    {
        checker.value(metadata, &TEMPLATE_METADATA, &Trail::Root(metadata_pointer));
    }
    checker.errors
}

/// Where the checker is in the object, kept on the stack and rendered as a JSON pointer only
/// when there is an error to report.
enum Trail<'a> {
    /// An already escaped pointer: the object's root (`""`) or a pod spec.
    Root(&'a str),
    Key(&'a Trail<'a>, &'a str),
    Index(&'a Trail<'a>, usize),
}

impl Trail<'_> {
    fn pointer(&self) -> String {
        match self {
            Trail::Root(pointer) => (*pointer).to_owned(),
            Trail::Key(parent, key) => push_pointer(&parent.pointer(), key),
            Trail::Index(parent, index) => push_pointer(&parent.pointer(), index),
        }
    }
}

struct Checker<'o> {
    object: &'o Object,
    errors: Vec<Diagnostic>,
}

impl<'o> Checker<'o> {
    /// Checks the fields of `node`, an object. It walks the fields the object has, which are
    /// usually far fewer than the table lists, then looks for the required ones.
    fn fields(&mut self, node: &Node, fields: &'static [Field], at: &Trail<'_>) {
        for entry in node.entries() {
            let Some((ty, presence)) = lookup(fields, &entry.key) else {
                continue;
            };
            // The API reads null as unset: fine for an optional field, and reported by the type
            // check for a required one.
            if !(entry.value.is_null() && matches!(presence, Presence::Optional)) {
                self.value(&entry.value, ty, &Trail::Key(at, &entry.key));
            }
        }
        self.missing(node, fields, at);
    }

    /// Reports the required fields `node` does not have.
    fn missing(&mut self, node: &Node, fields: &'static [Field], at: &Trail<'_>) {
        for field in fields {
            let required = match field {
                Field::Include(fields) => {
                    self.missing(node, fields, at);
                    continue;
                }
                Field::Key { presence, .. } => match presence {
                    Presence::Optional => false,
                    Presence::Required => true,
                    Presence::RequiredUnless(sibling) => {
                        node.get(sibling).is_none_or(Node::is_null)
                    }
                },
            };
            if let Field::Key { key, .. } = field
                && required
                && node.get(key).is_none()
            {
                self.report(&Trail::Key(at, key), format_args!("is required"));
            }
        }
    }

    /// Checks that `node` has type `ty`, and the fields or items inside it.
    fn value(&mut self, node: &Node, ty: &'static Type, at: &Trail<'_>) {
        let valid = match (ty, &node.value) {
            (Type::Bool, Value::Bool(_))
            | (Type::String, Value::String(_))
            | (Type::Quantity, Value::String(_) | Value::Int(_) | Value::Float(_)) => true,
            (Type::Integer, _) => node.as_i64().is_some(),
            (Type::Port, _) => node
                .as_i64()
                .is_some_and(|port| (1..=65535).contains(&port)),
            (Type::NonEmptyString | Type::IntOrString, Value::String(s)) => !s.is_empty(),
            (Type::IntOrString, _) => node.as_i64().is_some(),
            (Type::OneOf(allowed), Value::String(s)) => allowed.contains(&s.as_str()),
            (Type::Image, Value::String(reference)) => {
                if let Err(reason) = ImageRef::parse(reference) {
                    let found = Found(node);
                    self.report(at, format_args!("must be {ty}, found {found} ({reason})"));
                }
                return;
            }
            (Type::Map(values), Value::Map(entries)) => {
                // As for fields, a null value reads as unset (`limits: {memory: null}`).
                for entry in entries.iter().filter(|entry| !entry.value.is_null()) {
                    self.value(&entry.value, values, &Trail::Key(at, &entry.key));
                }
                true
            }
            (Type::Object(fields), Value::Map(_)) => {
                self.fields(node, fields, at);
                true
            }
            (Type::NonEmptyArray(_), Value::Seq(items)) if items.is_empty() => false,
            (Type::Array(item) | Type::NonEmptyArray(item), Value::Seq(items)) => {
                for (index, node) in items.iter().enumerate() {
                    self.value(node, item, &Trail::Index(at, index));
                }
                true
            }
            _ => false,
        };
        if !valid {
            let found = Found(node);
            self.report(at, format_args!("must be {ty}, found {found}"));
        }
    }

    /// Follows the keys of `pointer` (unescaped tokens) from the root, reporting the first one
    /// that is missing or not an object; returns the node at its end when all are there.
    fn required_objects(&mut self, pointer: &'static str) -> Option<&'o Node> {
        let mut node = &self.object.root;
        let mut end = 0;
        for key in pointer.split('/').skip(1) {
            end += 1 + key.len();
            let here = Trail::Root(&pointer[..end]);
            match node.get(key) {
                Some(child) if child.as_map().is_some() => node = child,
                Some(child) => {
                    let found = Found(child);
                    self.report(&here, format_args!("must be an object, found {found}"));
                    return None;
                }
                None => {
                    self.report(&here, format_args!("is required"));
                    return None;
                }
            }
        }
        Some(node)
    }

    /// Records an error: "Pod shop/web: `/spec/hostNetwork` must be ...", at the line of the
    /// field's key, or for a missing field, of its nearest parent's, as findings are placed.
    fn report(&mut self, at: &Trail<'_>, problem: fmt::Arguments<'_>) {
        let object = self.object;
        let pointer = at.pointer();
        let namespace = object
            .namespace
            .as_deref()
            .map(|namespace| format!("{namespace}/"))
            .unwrap_or_default();
        let name = if object.name.is_empty() {
            "(unnamed)"
        } else {
            &object.name
        };
        self.errors.push(Diagnostic::error(
            object.path.to_string(),
            Some(object.span_at(&pointer).line),
            format!("{} {namespace}{name}: `{pointer}` {problem}", object.kind),
        ));
    }
}

impl fmt::Display for Type {
    /// What the API expects, as the message says it: "must be a boolean".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("a boolean"),
            Type::Integer => f.write_str("an integer"),
            Type::Port => f.write_str("a port number from 1 to 65535"),
            Type::String => f.write_str("a string"),
            Type::NonEmptyString => f.write_str("a non-empty string"),
            Type::OneOf(allowed) => {
                f.write_str("one of ")?;
                for (index, value) in allowed.iter().enumerate() {
                    let separator = if index == 0 { "" } else { ", " };
                    write!(f, "{separator}\"{value}\"")?;
                }
                Ok(())
            }
            Type::Quantity => f.write_str("a quantity (a string such as \"500m\" or a number)"),
            Type::IntOrString => f.write_str("a port number or name"),
            Type::Image => f.write_str("an image reference"),
            Type::Map(_) | Type::Object(_) => f.write_str("an object"),
            Type::Array(_) => f.write_str("an array"),
            Type::NonEmptyArray(_) => f.write_str("a non-empty array"),
        }
    }
}

/// What was found instead, with the value of a scalar: `string "true"`, `number 0`.
struct Found<'a>(&'a Node);

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Enough of a long string to recognise it.
        const SHOWN: usize = 60;
        match &self.0.value {
            Value::String(s) => match s.char_indices().nth(SHOWN) {
                Some((cut, _)) => write!(f, "string {:?}…", &s[..cut]),
                None => write!(f, "string {s:?}"),
            },
            Value::Seq(items) if items.is_empty() => f.write_str("an empty array"),
            Value::Seq(_) | Value::Map(_) | Value::Null => write!(f, "{}", self.0.type_name()),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                write!(f, "{} {}", self.0.type_name(), self.0.display_scalar())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    /// (line, message) of each error in the objects of `text`.
    fn errors(text: &str) -> Vec<(u32, String)> {
        let (objects, errors) = parse_text("t.yaml", text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        objects
            .iter()
            .flat_map(shape_errors)
            .map(|error| (error.line.unwrap(), error.message))
            .collect()
    }

    /// A Pod whose first container has `field` set as given on line 7.
    fn pod_with(field: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: ns}}\nspec:\n  \
             containers:\n  - name: app\n    {field}\n    image: nginx:1.27\n"
        )
    }

    /// Every field of the table, set as the API accepts it.
    const VALID: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app.kubernetes.io/name: web}
  annotations: {note: "x", empty: null}
  ownerReferences: [{apiVersion: v1, kind: Thing, name: t, controller: true}]
spec:
  template:
    metadata:
      labels: {app: web}
      annotations: {container.apparmor.security.beta.kubernetes.io/app: runtime/default}
    spec:
      hostNetwork: false
      hostPID: false
      hostIPC: false
      shareProcessNamespace: true
      automountServiceAccountToken: false
      hostUsers: false
      serviceAccountName: web
      serviceAccount: web
      restartPolicy: Always
      os: {name: linux}
      securityContext:
        runAsUser: 1000
        runAsGroup: 1000.0
        fsGroup: 2000
        runAsNonRoot: true
        supplementalGroups: [3000]
        sysctls: [{name: net.ipv4.ping_group_range, value: "0 1"}]
        seccompProfile: {type: Localhost, localhostProfile: p.json}
        appArmorProfile: {type: RuntimeDefault}
        seLinuxOptions: {level: "s0:c1", type: container_t}
        windowsOptions: {hostProcess: false, runAsUserName: u}
      volumes:
      - {name: tmp, emptyDir: {sizeLimit: 1Gi, medium: Memory}}
      - {name: numeric, emptyDir: {sizeLimit: 1000000}}
      - {name: host, hostPath: {path: /data, type: Directory}}
      - name: token
        projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 600}}]}
      initContainers:
      - {name: init, image: busybox, restartPolicy: Always}
      containers:
      - name: app
        image: registry.example.com:5000/app:1.0@sha256:0000000000000000000000000000000000000000000000000000000000000000
        imagePullPolicy: IfNotPresent
        securityContext:
          privileged: false
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          runAsUser: 1001
          procMount: Default
          capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}
          seccompProfile: {type: RuntimeDefault}
        ports:
        - {containerPort: 8080, hostPort: 0, protocol: TCP, name: http}
        env:
        - {name: A, value: "1"}
        - name: B
          valueFrom: {secretKeyRef: {name: s, key: k}}
        envFrom: [{secretRef: {name: s}}, {configMapRef: {name: c}, prefix: C_}]
        resources:
          limits: {cpu: 1, memory: 1Gi}
          requests: {cpu: 250m, memory: null}
        volumeMounts: [{name: tmp, mountPath: /tmp, readOnly: true}]
        livenessProbe: {httpGet: {port: http, path: /healthz, scheme: HTTP}}
        readinessProbe: {tcpSocket: {port: 8080}}
        startupProbe: {exec: {command: ["true"]}}
        lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
      ephemeralContainers: [{name: debug, image: busybox}]
"#;

    #[test]
    fn a_valid_workload_has_no_errors() {
        assert_eq!(errors(VALID), []);
    }

    #[test]
    fn objects_of_other_kinds_need_no_metadata() {
        let text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\
                    resources: [a.yaml]\n---\napiVersion: v1\nkind: ConfigMap\n\
                    metadata: {generateName: c-}\ndata: {a: b}\n";
        assert_eq!(errors(text), []);
    }

    #[test]
    fn each_type_names_what_it_expects_and_what_it_found() {
        for (field, pointer, problem) in [
            (
                "securityContext: {privileged: \"true\"}",
                "securityContext/privileged",
                r#"must be a boolean, found string "true""#,
            ),
            (
                "securityContext: {runAsUser: 1.5}",
                "securityContext/runAsUser",
                "must be an integer, found number 1.5",
            ),
            (
                "ports: [{containerPort: 0}]",
                "ports/0/containerPort",
                "must be a port number from 1 to 65535, found number 0",
            ),
            (
                "securityContext: {procMount: 5}",
                "securityContext/procMount",
                r#"must be one of "Default", "Unmasked", found number 5"#,
            ),
            (
                "imagePullPolicy: always",
                "imagePullPolicy",
                r#"must be one of "Always", "IfNotPresent", "Never", found string "always""#,
            ),
            (
                "resources: {limits: {cpu: [1]}}",
                "resources/limits/cpu",
                "must be a quantity (a string such as \"500m\" or a number), found array",
            ),
            (
                "livenessProbe: {httpGet: {port: \"\"}}",
                "livenessProbe/httpGet/port",
                r#"must be a port number or name, found string """#,
            ),
            (
                "env: [{name: A, value: 5}]",
                "env/0/value",
                "must be a string, found number 5",
            ),
            (
                "volumeMounts: [{name: \"\", mountPath: /x}]",
                "volumeMounts/0/name",
                r#"must be a non-empty string, found string """#,
            ),
            (
                "securityContext: {capabilities: {drop: [ALL, true]}}",
                "securityContext/capabilities/drop/1",
                "must be a string, found boolean true",
            ),
            (
                "resources: []",
                "resources",
                "must be an object, found an empty array",
            ),
            ("envFrom: {}", "envFrom", "must be an array, found object"),
        ] {
            let expected = format!("Pod ns/p: `/spec/containers/0/{pointer}` {problem}");
            assert_eq!(errors(&pod_with(field)), [(7, expected)], "{field}");
        }
    }

    #[test]
    fn long_strings_are_cut_in_messages() {
        let long = "x".repeat(100);
        let found = errors(&pod_with(&format!(
            "securityContext: {{privileged: {long}}}"
        )));
        assert!(
            found[0]
                .1
                .ends_with(&format!("found string \"{}\"…", &long[..60])),
            "{found:?}"
        );
    }

    #[test]
    fn required_fields_are_reported_at_their_parent_in_document_order() {
        let text = "\
apiVersion: batch/v1
kind: CronJob
metadata:
  namespace: ns
spec:
  jobTemplate:
    spec: {}
---
apiVersion: v1
kind: PodTemplate
metadata: {name: t}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: []
  volumes:
  - hostPath: {}
  securityContext:
    sysctls: [{name: kernel.shm_rmid_forced}]
";
        assert_eq!(
            errors(text),
            [
                (
                    3,
                    "CronJob ns/(unnamed): `/metadata/name` is required".to_owned()
                ),
                (
                    7,
                    "CronJob ns/(unnamed): `/spec/jobTemplate/spec/template` is required"
                        .to_owned()
                ),
                (9, "PodTemplate t: `/template` is required".to_owned()),
                (
                    17,
                    "Pod p: `/spec/containers` must be a non-empty array, found an empty array"
                        .to_owned()
                ),
                (
                    19,
                    "Pod p: `/spec/volumes/0/hostPath/path` is required".to_owned()
                ),
                (19, "Pod p: `/spec/volumes/0/name` is required".to_owned()),
                (
                    21,
                    "Pod p: `/spec/securityContext/sysctls/0/value` is required".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn template_metadata_and_escaped_keys() {
        let text = "\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: d
  labels:
    app.kubernetes.io/name: 5
spec:
  template:
    metadata:
      annotations: {a~b: [x]}
    spec:
      containers: [{name: a, image: a}]
";
        assert_eq!(
            errors(text),
            [
                (
                    6,
                    "DaemonSet d: `/metadata/labels/app.kubernetes.io~1name` must be a string, \
                     found number 5"
                        .to_owned()
                ),
                (
                    10,
                    "DaemonSet d: `/spec/template/metadata/annotations/a~0b` must be a string, \
                     found array"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn every_container_list_is_checked() {
        let text = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers: [{name: i, image: \"Bad\"}]
  containers: [{name: a, image: a}, {name: b, image: b, ports: [{}, {containerPort: x}]}]
  ephemeralContainers: [{name: e}]
";
        let found: Vec<String> = errors(text).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            found,
            [
                r#"Pod p: `/spec/initContainers/0/image` must be an image reference, found string "Bad" (repository names are lower case)"#,
                "Pod p: `/spec/containers/1/ports/0/containerPort` is required",
                r#"Pod p: `/spec/containers/1/ports/1/containerPort` must be a port number from 1 to 65535, found string "x""#,
                "Pod p: `/spec/ephemeralContainers/0/image` is required",
            ]
        );
    }
}
