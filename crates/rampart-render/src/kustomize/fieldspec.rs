//! Field specifications: which field of which types a transformer changes (`fieldspecs.txt`
//! holds Kustomize's built-in ones), and the walk that finds, or creates, those fields.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::resource::Gvk;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub gvk: Gvk,
    pub path: String,
    pub create: bool,
}

impl FieldSpec {
    pub fn new(path: &str, create: bool) -> FieldSpec {
        FieldSpec {
            gvk: Gvk::default(),
            path: path.into(),
            create,
        }
    }
}

/// A type that other types refer to by name, and the fields that do.
#[derive(Debug, Clone)]
pub struct NameReference {
    pub target: Gvk,
    pub referrers: Vec<FieldSpec>,
}

#[derive(Debug, Default)]
pub struct Builtin {
    pub common_labels: Vec<FieldSpec>,
    pub template_labels: Vec<FieldSpec>,
    pub common_annotations: Vec<FieldSpec>,
    pub namespace: Vec<FieldSpec>,
    pub images: Vec<FieldSpec>,
    pub replicas: Vec<FieldSpec>,
    pub name_references: Vec<NameReference>,
}

pub fn builtin() -> &'static Builtin {
    static TABLES: OnceLock<Builtin> = OnceLock::new();
    TABLES.get_or_init(|| parse_tables(include_str!("fieldspecs.txt")))
}

fn parse_tables(text: &str) -> Builtin {
    let mut tables = Builtin::default();
    let mut section = "";
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        let gvk_of = |parts: &[&str]| Gvk {
            kind: parts[0].into(),
            group: parts[1].into(),
            version: parts[2].into(),
        };
        if let Some(target) = line.strip_prefix("> ") {
            let parts: Vec<&str> = target.split('|').collect();
            tables.name_references.push(NameReference {
                target: gvk_of(&parts),
                referrers: Vec::new(),
            });
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        let spec = FieldSpec {
            gvk: gvk_of(&parts),
            path: parts[3].into(),
            create: parts.get(4) == Some(&"true"),
        };
        let table = match section {
            "COMMON_LABELS" => &mut tables.common_labels,
            "TEMPLATE_LABELS" => &mut tables.template_labels,
            "COMMON_ANNOTATIONS" => &mut tables.common_annotations,
            "NAMESPACE" => &mut tables.namespace,
            "IMAGES" => &mut tables.images,
            "REPLICAS" => &mut tables.replicas,
            "NAME_REFERENCE" => match tables.name_references.last_mut() {
                Some(reference) => &mut reference.referrers,
                None => continue,
            },
            _ => continue,
        };
        table.push(spec);
    }
    tables
}

/// A path's segments: `/` separates, `\/` is a slash inside a key.
pub fn split_path(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                chars.next();
                parts.last_mut().expect("one part").push('/');
            }
            '/' => parts.push(String::new()),
            c => parts.last_mut().expect("one part").push(c),
        }
    }
    parts
}

/// What a missing last field is created as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    Scalar,
    Map,
}

/// Calls `set` on every field `spec` names in `object` (lists along the path are walked
/// element by element), creating missing fields when the spec says so.
pub fn apply(
    object: &mut Map<String, Value>,
    spec: &FieldSpec,
    create: Option<Create>,
    set: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    let path = split_path(&spec.path);
    let create = if spec.create { create } else { None };
    walk_map(object, &path, create, set)
}

fn walk(
    node: &mut Value,
    path: &[String],
    create: Option<Create>,
    set: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    if path.is_empty() {
        return set(node);
    }
    match node {
        Value::Null => Ok(()),
        Value::Array(items) => {
            for item in items {
                walk(item, path, create, set)?;
            }
            Ok(())
        }
        Value::Object(map) => walk_map(map, path, create, set),
        _ => Err(format!(
            "expected sequence or mapping node at {}",
            path.join("/")
        )),
    }
}

fn walk_map(
    map: &mut Map<String, Value>,
    path: &[String],
    create: Option<Create>,
    set: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    let (name, is_list) = match path[0].strip_suffix("[]") {
        Some(name) => (name, true),
        None => (path[0].as_str(), false),
    };
    let kind = match create {
        Some(_) if is_list => None,
        Some(last) if path.len() == 1 => Some(last),
        Some(_) => Some(Create::Map),
        None => None,
    };
    let field = match kind {
        None => match map.get_mut(name) {
            Some(field) => field,
            None => return Ok(()),
        },
        Some(kind) => map.entry(name).or_insert_with(|| empty(kind)),
    };
    if let Some(kind) = kind
        && is_nil_or_empty(field)
    {
        *field = empty(kind);
    }
    walk(field, &path[1..], create, set)
}

fn empty(kind: Create) -> Value {
    match kind {
        Create::Scalar => Value::Null,
        Create::Map => Value::Object(Map::new()),
    }
}

fn is_nil_or_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_tables_are_read() {
        let b = builtin();
        assert!(
            b.common_labels
                .iter()
                .any(|s| s.gvk.kind == "Service" && s.path == "spec/selector" && s.create)
        );
        let secret = b
            .name_references
            .iter()
            .find(|r| r.target.kind == "Secret")
            .unwrap();
        assert!(secret.referrers.iter().any(|s| s.gvk.kind == "Ingress"
            && split_path(&s.path).last().unwrap() == "nginx.ingress.kubernetes.io/auth-secret"));
        assert_eq!(b.replicas.len(), 4);
    }

    #[test]
    fn lists_are_walked_and_fields_created_only_when_asked() {
        let mut obj: Map<String, Value> =
            serde_json::from_str(r#"{"spec":{"containers":[{"image":"a"},{"image":"b"}]}}"#)
                .unwrap();
        let mut seen = Vec::new();
        let spec = FieldSpec::new("spec/containers[]/image", true);
        apply(&mut obj, &spec, Some(Create::Scalar), &mut |v| {
            seen.push(v.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![Value::from("a"), Value::from("b")]);
        let spec = FieldSpec::new("metadata/labels", true);
        apply(&mut obj, &spec, Some(Create::Map), &mut |_| Ok(())).unwrap();
        assert_eq!(obj["metadata"]["labels"], serde_json::json!({}));
        let spec = FieldSpec::new("spec/selector/matchLabels", false);
        apply(&mut obj, &spec, Some(Create::Map), &mut |_| Ok(())).unwrap();
        assert!(obj["spec"].get("selector").is_none());
    }
}
