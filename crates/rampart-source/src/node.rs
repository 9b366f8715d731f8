//! A parsed document as a tree of nodes that remember where they came from.
//!
//! YAML and JSON both parse into [`Node`]s, so everything downstream (Kubernetes semantics, rules,
//! reports) works on one shape and can always say at which line and column a value stood.

use std::fmt;

/// A position in a source file. Both line and column are 1-based.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: u32,
    pub column: u32,
}

impl Span {
    pub fn new(line: u32, column: u32) -> Span {
        Span { line, column }
    }
}

/// Text of keys and string values. Kubernetes keys and most values are short: up to 24 bytes
/// are stored inline, so a parsed manifest costs a fraction of the allocations (and memory)
/// one `String` per scalar would.
pub type Text = compact_str::CompactString;

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Text,
    pub key_span: Span,
    pub value: Node,
}

/// A value as the Kubernetes API reads it from YAML or JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(Text),
    Seq(Vec<Node>),
    /// Entries in document order. Kubernetes objects have small maps, so a vector beats a hash
    /// map in both speed and memory, and it keeps the order for reports.
    Map(Vec<Entry>),
}

/// A value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// The JSON type name of a value, for "expected X, found Y" errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeName {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TypeName::Null => "null",
            TypeName::Bool => "boolean",
            TypeName::Number => "number",
            TypeName::String => "string",
            TypeName::Array => "array",
            TypeName::Object => "object",
        })
    }
}

static NULL: Node = Node {
    value: Value::Null,
    span: Span { line: 0, column: 0 },
};

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node { value, span }
    }

    /// A shared null node, for code that treats "missing" and "null" alike.
    pub fn null() -> &'static Node {
        &NULL
    }

    pub fn type_name(&self) -> TypeName {
        match self.value {
            Value::Null => TypeName::Null,
            Value::Bool(_) => TypeName::Bool,
            Value::Int(_) | Value::Float(_) => TypeName::Number,
            Value::String(_) => TypeName::String,
            Value::Seq(_) => TypeName::Array,
            Value::Map(_) => TypeName::Object,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The value under `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry under `key` (with the key's own position) when this node is a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Follows a path of mapping keys: `node.path(&["spec", "template", "spec"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Resolves an RFC 6901 JSON pointer (`/spec/containers/0/image`).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |node, token| {
            let token = unescape_pointer_token(token);
            match &node.value {
                Value::Map(_) => node.get(&token),
                Value::Seq(items) => items.get(token.parse::<usize>().ok()?),
                _ => None,
            }
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            // JSON numbers such as 1000.0 are integers to the Kubernetes API.
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items of a sequence; empty for null or a missing value, so optional lists iterate
    /// without ceremony. Use [`Node::as_seq`] where a wrong type must be reported.
    pub fn items(&self) -> &[Node] {
        self.as_seq().unwrap_or(&[])
    }

    /// The entries of a mapping; empty for anything else.
    pub fn entries(&self) -> &[Entry] {
        self.as_map().unwrap_or(&[])
    }

    /// A string rendering of a scalar, for messages (`true`, `0`, `"x"`).
    pub fn display_scalar(&self) -> String {
        match &self.value {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::String(s) => format!("{s:?}"),
            Value::Seq(_) => "[…]".to_owned(),
            Value::Map(_) => "{…}".to_owned(),
        }
    }

    /// Converts to a `serde_json::Value`, dropping positions.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.to_string()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

pub(crate) fn unescape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// Appends one token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn push_pointer(pointer: &str, token: impl fmt::Display) -> String {
    let token = token.to_string();
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str, line: u32) -> Node {
        Node::new(Value::String(text.into()), Span::new(line, 1))
    }

    fn map(entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| Entry {
                        key: k.into(),
                        key_span: v.span,
                        value: v,
                    })
                    .collect(),
            ),
            Span::new(1, 1),
        )
    }

    #[test]
    fn pointer_walks_maps_and_sequences_with_escapes() {
        let doc = map(vec![
            (
                "metadata",
                map(vec![("annotations", map(vec![("a/b~c", s("v", 3))]))]),
            ),
            (
                "items",
                Node::new(Value::Seq(vec![s("zero", 5), s("one", 6)]), Span::new(4, 1)),
            ),
        ]);
        assert_eq!(doc.pointer("/items/1").unwrap().span.line, 6);
        assert_eq!(
            doc.pointer("/metadata/annotations/a~1b~0c")
                .unwrap()
                .as_str(),
            Some("v")
        );
        assert!(doc.pointer("/items/2").is_none());
        assert!(doc.pointer("items").is_none());
        assert_eq!(
            push_pointer("/metadata/annotations", "a/b~c"),
            "/metadata/annotations/a~1b~0c"
        );
    }

    #[test]
    fn floats_with_no_fraction_are_integers() {
        let n = Node::new(Value::Float(1000.0), Span::default());
        assert_eq!(n.as_i64(), Some(1000));
        let n = Node::new(Value::Float(0.5), Span::default());
        assert_eq!(n.as_i64(), None);
    }
}
