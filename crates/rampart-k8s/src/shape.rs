//! The types the Kubernetes API requires of the fields rampart's analyses read, as one table,
//! and the checker that walks an object along it.
//!
//! The analyses read a mistyped field (`privileged: "true"`) as absent, as they must to stay
//! total; the API server would reject the object. So that nothing is skipped silently, every
//! such field, and every required field that is missing, becomes a [`ScanError`] naming the
//! object, the JSON pointer, what the API expects and what was found.
//!
//! The table lists the fields the analyses read and the ones the API requires; fields it does
//! not list are not checked.

use std::fmt;

use rampart_core::ScanError;
use rampart_source::{Node, Object, Value, push_pointer};

use crate::image::ImageRef;
use crate::workload::template_pointers;
use table::{LABELS_AND_ANNOTATIONS, OBJECT, POD_SPEC, WORKLOAD};

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

/// The table. Pointers into it start at the object's root ([`OBJECT`], [`WORKLOAD`]), at the pod
/// spec ([`POD_SPEC`]), or at a pod template's metadata ([`LABELS_AND_ANNOTATIONS`]).
mod table {
    use super::Type::*;
    use super::{Field, Presence, Type, optional, required};

    const STRINGS: Type = Array(&String);

    pub(super) const LABELS_AND_ANNOTATIONS: &[Field] = &[
        optional("labels", Map(&String)),
        optional("annotations", Map(&String)),
    ];

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
pub fn shape_errors(object: &Object) -> Vec<ScanError> {
    let mut checker = Checker {
        object,
        errors: Vec::new(),
    };
    let root = Trail::Root("");
    let Some((metadata_pointer, spec_pointer)) =
        template_pointers(&object.api_version, &object.kind)
    else {
        checker.fields(&object.root, OBJECT, &root);
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
        let template_metadata = Type::Object(LABELS_AND_ANNOTATIONS);
        checker.value(metadata, &template_metadata, &Trail::Root(metadata_pointer));
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
    errors: Vec<ScanError>,
}

impl<'o> Checker<'o> {
    /// Checks the fields of `node`, an object.
    fn fields(&mut self, node: &Node, fields: &[Field], at: &Trail<'_>) {
        for field in fields {
            let (key, ty, presence) = match field {
                Field::Include(fields) => {
                    self.fields(node, fields, at);
                    continue;
                }
                Field::Key { key, ty, presence } => (*key, ty, presence),
            };
            let here = Trail::Key(at, key);
            match node.get(key) {
                // The API reads null as unset: fine for an optional field, and reported by the
                // type check for a required one.
                Some(value) if value.is_null() && matches!(presence, Presence::Optional) => {}
                Some(value) => self.value(value, ty, &here),
                None => {
                    let required = match presence {
                        Presence::Optional => false,
                        Presence::Required => true,
                        Presence::RequiredUnless(sibling) => {
                            node.get(sibling).is_none_or(Node::is_null)
                        }
                    };
                    if required {
                        self.report(&here, format_args!("is required"));
                    }
                }
            }
        }
    }

    /// Checks that `node` has type `ty`, and the fields or items inside it.
    fn value(&mut self, node: &Node, ty: &Type, at: &Trail<'_>) {
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
        self.errors.push(ScanError {
            path: object.path.to_string(),
            line: Some(object.span_at(&pointer).line),
            message: format!("{} {namespace}{name}: `{pointer}` {problem}", object.kind),
        });
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
