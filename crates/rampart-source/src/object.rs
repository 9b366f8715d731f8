use std::sync::Arc;

use rampart_core::{Diagnostic, Location, ObjectRef, Subject};

use crate::Limits;
use crate::json::{looks_like_json, parse_json_stream};
use crate::node::{Entry, Node, Span, Text, Value, unescape_pointer_token};
use crate::yaml::{YamlDocument, YamlError, parse_stream};

/// A Kubernetes object found in the input.
#[derive(Debug, Clone)]
pub struct Object {
    /// The file it was read from, as the user named it.
    pub path: Arc<str>,
    /// The Helm template it was rendered from (a `# Source:` comment), when there is one.
    pub template: Option<Arc<str>>,
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    /// The whole object; JSON pointers in findings are relative to it.
    pub root: Node,
}

impl Object {
    /// What findings on the object are about.
    pub fn subject(&self) -> Subject {
        Subject::kubernetes(
            &self.api_version,
            &self.kind,
            self.namespace.as_deref(),
            &self.name,
        )
    }

    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    /// Where a node of this object is, for a finding, naming the Helm template too when the
    /// object was rendered from one.
    pub fn location(&self, span: Span) -> Location {
        Location {
            template: self.template.clone(),
            ..Location::new(self.path.clone(), span.line, span.column)
        }
    }

    /// The position of the field at `pointer` (its key, for a mapping entry), or of its nearest
    /// existing ancestor when the field is missing: a finding about an absent field points at
    /// where it belongs.
    pub fn span_at(&self, pointer: &str) -> Span {
        let mut node = &self.root;
        let mut span = self.root.span;
        for token in pointer.split('/').skip(1) {
            let token = unescape_pointer_token(token);
            let next = match &node.value {
                Value::Map(entries) => entries
                    .iter()
                    .find(|e| e.key == token)
                    .map(|e| (&e.value, e.key_span)),
                Value::Seq(items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|item| (item, item.span)),
                _ => None,
            };
            match next {
                Some((child, child_span)) => {
                    node = child;
                    span = child_span;
                }
                None => break,
            }
        }
        span
    }

    /// The pointer with each list position replaced by the item's `name` (`containers/1` ->
    /// `containers/name=web`) where the item has one: an identity for the field that survives
    /// reordering and insertions, for fingerprints.
    pub fn field_identity(&self, pointer: &str) -> String {
        let mut identity = String::with_capacity(pointer.len());
        let mut node = Some(&self.root);
        for token in pointer.split('/').skip(1) {
            let item = node.and_then(|n| match &n.value {
                Value::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            });
            let name = item.and_then(|i| i.get("name")).and_then(Node::as_str);
            identity.push('/');
            match name {
                Some(name) => {
                    identity.push_str("name=");
                    identity.push_str(&name.replace('~', "~0").replace('/', "~1"));
                }
                None => identity.push_str(token),
            }
            node = match item {
                Some(item) => Some(item),
                None => node.and_then(|n| n.get(&unescape_pointer_token(token))),
            };
        }
        identity
    }

    pub fn metadata(&self) -> &Node {
        self.root.get("metadata").unwrap_or(Node::null())
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata().path(&["annotations", key])?.as_str()
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.metadata().path(&["labels", key])?.as_str()
    }
}

/// A Docker Compose file: its first YAML document.
#[derive(Debug, Clone)]
pub struct ComposeFile {
    /// The file, as the user named it.
    pub path: Arc<str>,
    pub root: Node,
}

/// Parses one file's text (YAML stream or JSON) into the Kubernetes objects it holds.
/// Documents that are not Kubernetes objects are skipped quietly; `*List` kinds are expanded.
pub fn parse_text(path: &str, text: &str, limits: &Limits) -> (Vec<Object>, Vec<Diagnostic>) {
    let path: Arc<str> = Arc::from(path);
    let mut errors = Vec::new();
    let stream = read_documents(&path, text, limits);
    errors.extend(stream.error);
    let templates = HelmSources::scan(text);
    let mut objects = Vec::new();
    for doc in stream.docs {
        let template = templates.for_document_at(doc.line);
        collect_objects(doc.root, &path, template, &mut objects, &mut errors);
    }
    // Other JSON files (renovate.json, tsconfig.json) may have comments; manifests may not.
    if let Some(line) = stream.not_json_at.filter(|_| !objects.is_empty()) {
        errors.push(Diagnostic::error(
            path.to_string(),
            Some(line),
            "a comment or trailing comma is not JSON: kubectl and the API server \
                      refuse this file (its objects were scanned as written)"
                .to_owned(),
        ));
    }
    (objects, errors)
}

/// The documents of one file, and what stopped reading it.
struct Documents {
    docs: Vec<YamlDocument>,
    error: Option<Diagnostic>,
    /// The line of the first comment or trailing comma of a JSON file.
    not_json_at: Option<u32>,
}

/// Reads a file as JSON where kubectl would (its text opens with `{`) or where its name says
/// so, else as YAML. Text that is not JSON but valid YAML (`{a: 1}`) is read as YAML.
fn read_documents(path: &str, text: &str, limits: &Limits) -> Documents {
    let named_json = path.ends_with(".json");
    let mut json_error = None;
    if named_json || looks_like_json(text) {
        let json = parse_json_stream(text, limits);
        let Some(error) = json.error else {
            return Documents {
                docs: json.docs,
                error: None,
                not_json_at: json.not_json_at,
            };
        };
        json_error = Some((json.docs, error));
    }
    let (docs, error) = parse_stream(text, limits);
    match (json_error, error) {
        (Some((docs, error)), Some(_)) if named_json => Documents {
            docs,
            error: Some(syntax_error(path, "JSON", &error)),
            not_json_at: None,
        },
        (_, error) => Documents {
            docs,
            error: error.map(|error| yaml_error(path, &error)),
            not_json_at: None,
        },
    }
}

/// The error entry for a YAML stream that stops parsing at `error`.
pub(crate) fn yaml_error(path: &str, error: &YamlError) -> Diagnostic {
    syntax_error(path, "YAML", error)
}

fn syntax_error(path: &str, syntax: &str, error: &YamlError) -> Diagnostic {
    Diagnostic::error(
        path.to_owned(),
        Some(error.line),
        format!("invalid {syntax}: {}", error.message),
    )
}

/// Gives a list item the `apiVersion` and `kind` it lacks (at the item's own position).
fn default_header(item: &mut Node, api_version: &str, kind: &str) {
    let at = item.span;
    let Value::Map(entries) = &mut item.value else {
        return;
    };
    for (key, value) in [("apiVersion", api_version), ("kind", kind)] {
        if !entries.iter().any(|e| e.key == key) {
            entries.push(Entry {
                key: Text::new(key),
                key_span: at,
                value: Node::new(Value::String(Text::new(value)), at),
            });
        }
    }
}

fn collect_objects(
    root: Node,
    path: &Arc<str>,
    template: Option<Arc<str>>,
    objects: &mut Vec<Object>,
    errors: &mut Vec<Diagnostic>,
) {
    let (Some(api_version), Some(kind)) = (
        root.get("apiVersion").and_then(Node::as_str),
        root.get("kind").and_then(Node::as_str),
    ) else {
        errors.extend(broken_header(&root, path));
        return;
    };
    if kind.ends_with("List")
        && let Some(items) = root.get("items")
    {
        let Value::Seq(items) = items.value.clone() else {
            errors.push(Diagnostic::error(
                path.to_string(),
                Some(items.span.line),
                format!(
                    "`items` of a {kind} must be an array, found {}",
                    items.type_name()
                ),
            ));
            return;
        };
        // Typed lists from the API (`PodList`) leave the kind off their items: each item is a
        // `Pod` of the list's group and version.
        let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
        for mut item in items {
            if let Some(item_kind) = item_kind {
                default_header(&mut item, api_version, item_kind);
            }
            collect_objects(item, path, template.clone(), objects, errors);
        }
        return;
    }
    let metadata = root.get("metadata");
    let name = metadata
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_owned();
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .map(str::to_owned);
    objects.push(Object {
        path: path.clone(),
        template,
        api_version: api_version.to_owned(),
        kind: kind.to_owned(),
        namespace,
        name,
        root,
    });
}

/// The error for a document that is almost a Kubernetes object: it has `metadata` or `spec` and
/// one of `apiVersion` and `kind`, but not both as strings. A document with neither is other YAML
/// (Helm values, CI configuration) and is skipped quietly, and so is Helm's `Chart.yaml`, whose
/// `apiVersion` comes without `metadata` or `spec`.
fn broken_header(root: &Node, path: &Arc<str>) -> Option<Diagnostic> {
    let api_version = root.get("apiVersion");
    let kind = root.get("kind");
    let has_body = root.get("metadata").is_some() || root.get("spec").is_some();
    if !has_body || (api_version.is_none() && kind.is_none()) {
        return None;
    }
    let (line, problem) = [("apiVersion", api_version), ("kind", kind)]
        .into_iter()
        .find_map(|(field, node)| match node {
            None => Some((root.span.line, format!("has no `{field}`"))),
            Some(node) if node.as_str().is_none() => Some((
                node.span.line,
                format!(
                    "has a `{field}` that is not a string but {}",
                    node.type_name()
                ),
            )),
            Some(_) => None,
        })?;
    Some(Diagnostic::error(
        path.to_string(),
        Some(line),
        format!(
            "document {problem}, so it is not read as a Kubernetes object; the API server needs \
             both `apiVersion` and `kind` as strings"
        ),
    ))
}

/// The `# Source: chart/templates/x.yaml` comments Helm writes above each rendered document.
struct HelmSources {
    /// (line of the comment, template path), in file order.
    sources: Vec<(u32, Arc<str>)>,
    /// Lines holding a `---` document separator.
    separators: Vec<u32>,
}

impl HelmSources {
    fn scan(text: &str) -> HelmSources {
        let mut sources = Vec::new();
        let mut separators = Vec::new();
        if !text.contains("# Source: ") {
            return HelmSources {
                sources,
                separators,
            };
        }
        for (index, line) in text.lines().enumerate() {
            let number = index as u32 + 1;
            if line.starts_with("---") {
                separators.push(number);
            } else if let Some(template) = line.strip_prefix("# Source: ") {
                sources.push((number, Arc::from(template.trim())));
            }
        }
        HelmSources {
            sources,
            separators,
        }
    }

    /// The template of the document whose content starts at `line`: the last `# Source:`
    /// comment between the previous separator and the document.
    fn for_document_at(&self, line: u32) -> Option<Arc<str>> {
        let after = self
            .separators
            .iter()
            .rev()
            .find(|&&sep| sep < line)
            .copied()
            .unwrap_or(0);
        self.sources
            .iter()
            .rev()
            .find(|(at, _)| *at > after && *at <= line)
            .map(|(_, template)| template.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_expand_and_non_objects_are_skipped() {
        let text = r#"{"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"shop"}},
 {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"b"}}]}"#;
        let (objects, errors) = parse_text("list.json", text, &Limits::default());
        assert!(errors.is_empty());
        let names: Vec<_> = objects
            .iter()
            .map(|o| (o.kind.as_str(), o.name.as_str()))
            .collect();
        assert_eq!(names, [("Pod", "a"), ("Deployment", "b")]);
        assert_eq!(objects[0].namespace.as_deref(), Some("shop"));
        assert_eq!(objects[1].root.span.line, 3);

        let (objects, errors) =
            parse_text("values.yaml", "replicas: 3\nimage: x\n", &Limits::default());
        assert!(objects.is_empty() && errors.is_empty());
    }

    #[test]
    fn json_streams_surrogate_pairs_and_comments_read_as_kubectl_does() {
        let pod = |name: &str, note: &str| {
            format!(
                r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"{name}","annotations":{{"note":"{note}"}}}}}}"#
            )
        };
        // A stream of objects, in a file named anything.
        let text = format!("{}\n{}", pod("a", "x"), pod("b", r"\ud83d\udea8"));
        for path in ["pods.json", "pods.yaml", "-"] {
            let (objects, errors) = parse_text(path, &text, &Limits::default());
            assert!(errors.is_empty(), "{path}: {errors:?}");
            assert_eq!(objects.len(), 2, "{path}");
            assert_eq!(objects[1].annotation("note"), Some("\u{1F6A8}"));
            assert_eq!(objects[1].root.span.line, 2);
        }
        // Not a Kubernetes object: skipped, comments or not.
        let renovate = "{\n  // keep\n  \"extends\": [\"config:base\",],\n}\n";
        let (objects, errors) = parse_text("renovate.json", renovate, &Limits::default());
        assert!(objects.is_empty() && errors.is_empty(), "{errors:?}");
        // A manifest with a comment is scanned, and told to be refused by kubectl.
        let text = format!("// the web pod\n{}", pod("web", "x"));
        let (objects, errors) = parse_text("web.json", &text, &Limits::default());
        assert_eq!(objects.len(), 1);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(1));
        assert!(
            errors[0]
                .message
                .contains("kubectl and the API server refuse")
        );
    }

    #[test]
    fn json_errors_say_json_and_yaml_flow_stays_yaml() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let (_, errors) = parse_text("deep.json", &deep, &Limits::default());
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "invalid JSON: nesting deeper than 128 levels"
        );
        let (_, errors) = parse_text("bad.json", "{\"a\": 1\n\"b\": 2}", &Limits::default());
        assert_eq!(errors[0].line, Some(2));
        assert!(
            errors[0]
                .message
                .starts_with("invalid JSON: expected `,` or `}`")
        );
        // YAML's flow style opens with `{` too.
        let (objects, errors) = parse_text(
            "flow.yaml",
            "{apiVersion: v1, kind: Pod, metadata: {name: a}}\n",
            &Limits::default(),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(objects[0].name, "a");
        let (_, errors) = parse_text("bad.yaml", "{a: [1\n", &Limits::default());
        assert!(errors[0].message.starts_with("invalid YAML"), "{errors:?}");
    }

    #[test]
    fn typed_list_items_take_their_kind_from_the_list() {
        let text = "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a, namespace: x}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n";
        let (objects, errors) = parse_text("pods.yaml", text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let kinds: Vec<_> = objects
            .iter()
            .map(|o| (o.api_version.as_str(), o.kind.as_str(), o.name.as_str()))
            .collect();
        assert_eq!(kinds, [("v1", "Pod", "a"), ("v1", "Pod", "b")]);
        // A plain `List` says nothing about its items' kind: those without one stay unknown.
        let (objects, _) = parse_text(
            "l.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n",
            &Limits::default(),
        );
        assert!(objects.is_empty());
    }

    #[test]
    fn helm_source_comments_name_the_template() {
        let text = "---\n# Source: shop/templates/web.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: plain\n";
        let (objects, _) = parse_text("rendered.yaml", text, &Limits::default());
        assert_eq!(
            objects[0].template.as_deref(),
            Some("shop/templates/web.yaml")
        );
        let location = objects[0].location(objects[0].root.span);
        assert_eq!(&*location.path, "rendered.yaml");
        assert_eq!(
            location.template.as_deref(),
            Some("shop/templates/web.yaml")
        );
        assert_eq!(location.line, 3);
        assert_eq!(objects[1].template, None);
    }

    #[test]
    fn field_identity_names_list_items() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - {name: web, args: [x, y]}\n";
        let (objects, _) = parse_text("p.yaml", text, &Limits::default());
        let pod = &objects[0];
        assert_eq!(
            pod.field_identity("/spec/containers/0/securityContext/privileged"),
            "/spec/containers/name=web/securityContext/privileged"
        );
        assert_eq!(
            pod.field_identity("/spec/containers/0/args/1"),
            "/spec/containers/name=web/args/1"
        );
        assert_eq!(
            pod.field_identity("/spec/containers/3/image"),
            "/spec/containers/3/image"
        );
    }

    #[test]
    fn span_at_falls_back_to_the_nearest_ancestor() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: []\n";
        let (objects, _) = parse_text("p.yaml", text, &Limits::default());
        // A missing field points at its nearest ancestor's key.
        assert_eq!(
            objects[0].span_at("/spec/securityContext/runAsNonRoot"),
            Span::new(5, 1)
        );
        assert_eq!(objects[0].span_at("/spec/containers"), Span::new(6, 3));
        assert_eq!(objects[0].span_at(""), objects[0].root.span);
    }
}
