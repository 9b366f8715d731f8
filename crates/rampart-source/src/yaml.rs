//! YAML streams into [`Node`] trees, with positions, explicit resource limits and the scalar
//! typing Kubernetes applies (YAML 1.1 through `sigs.k8s.io/yaml`: `yes`/`on` are booleans,
//! `0644` is octal).

use std::borrow::Cow;

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::Limits;
use crate::node::{Entry, Node, Span, Text, Value};

/// One document of a YAML stream.
#[derive(Debug)]
pub struct YamlDocument {
    pub root: Node,
    /// 1-based line where the document's content starts (after any `---` and comments).
    pub line: u32,
}

/// A problem that stops parsing the rest of the stream, with where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    pub message: String,
}

/// Parses every document of a YAML stream. Documents before an error are kept.
///
/// A quoted scalar whose continuation lines sit at its key's column (or left of it) breaks
/// YAML's indentation rule, and saphyr refuses it; Kubernetes' decoder (go-yaml, after libyaml)
/// accepts it, and `kubectl get -o yaml` writes it. Leading white space of a quoted scalar's
/// continuation lines is not part of its value, so such a scalar is indented in a copy of the
/// text and the stream parsed again: the same value, the same lines.
pub fn parse_stream(text: &str, limits: &Limits) -> (Vec<YamlDocument>, Option<YamlError>) {
    let mut repaired: Option<String> = None;
    let mut repairs = 0;
    loop {
        let current = repaired.as_deref().unwrap_or(text);
        let parse = parse_once(current, limits);
        if let Parse::Underindented { line, column, .. } = parse
            && repairs < MAX_QUOTED_REPAIRS
            && let Some(fixed) = indent_quoted_scalar(current, line, column)
        {
            repairs += 1;
            repaired = Some(fixed);
            continue;
        }
        return parse.finish();
    }
}

/// Most quoted scalars indented again in one file; each costs a parse of the whole text.
const MAX_QUOTED_REPAIRS: usize = 256;

/// saphyr's message for a quoted scalar continued left of the indentation YAML requires.
const UNDERINDENTED_QUOTED: &str = "invalid indentation in quoted scalar";

/// How one parse of a stream ended.
enum Parse {
    Done(Vec<YamlDocument>, Option<YamlError>),
    /// A quoted scalar starting at `line` (1-based) and `column` (0-based, in characters) has
    /// an under-indented continuation line.
    Underindented {
        docs: Vec<YamlDocument>,
        line: usize,
        column: usize,
    },
}

impl Parse {
    /// The documents and error; an under-indented scalar that could not be repaired is an error.
    fn finish(self) -> (Vec<YamlDocument>, Option<YamlError>) {
        match self {
            Parse::Done(docs, error) => (docs, error),
            Parse::Underindented { docs, line, .. } => (
                docs,
                Some(YamlError {
                    line: line as u32,
                    message: UNDERINDENTED_QUOTED.to_owned(),
                }),
            ),
        }
    }
}

fn parse_once(text: &str, limits: &Limits) -> Parse {
    let mut documents = Documents::new(limits);
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(pair) => pair,
            Err(err) if err.info() == UNDERINDENTED_QUOTED => {
                return Parse::Underindented {
                    docs: documents.docs,
                    line: err.marker().line(),
                    column: err.marker().col(),
                };
            }
            Err(err) => {
                let error = YamlError {
                    line: err.marker().line() as u32,
                    message: err.info().to_owned(),
                };
                return Parse::Done(documents.docs, Some(error));
            }
        };
        let at = Span::new(span.start.line() as u32, span.start.col() as u32 + 1);
        if let Err(error) = documents.event(event, at) {
            return Parse::Done(documents.docs, Some(error));
        }
    }
    Parse::Done(documents.docs, None)
}

/// A copy of `text` where the continuation lines of the quoted scalar starting at `line`
/// (1-based) and `column` (0-based, in characters) are indented at least to the scalar's own
/// column; `None` when there is no such scalar, it is not closed, or a line of it starts with
/// a document marker (which ends a document whatever the indentation).
fn indent_quoted_scalar(text: &str, line: usize, column: usize) -> Option<String> {
    let line_start = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum::<usize>();
    let start = line_start
        + text[line_start..]
            .char_indices()
            .nth(column)
            .map(|(offset, _)| offset)?;
    let quote = text[start..]
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"'))?;
    let mut fixed = String::with_capacity(text.len() + 64);
    fixed.push_str(&text[..=start]);
    let mut chars = text[start + 1..].char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        fixed.push(c);
        match c {
            '\\' if quote == '"' => fixed.extend(chars.next().map(|(_, c)| c)),
            '\'' if quote == '\'' && chars.peek().is_some_and(|&(_, c)| c == '\'') => {
                fixed.extend(chars.next().map(|(_, c)| c));
            }
            c if c == quote => {
                fixed.push_str(&text[start + 1 + offset + 1..]);
                return Some(fixed);
            }
            '\n' => {
                let rest = &text[start + 1 + offset + 1..];
                if rest.starts_with("---") || rest.starts_with("...") {
                    return None;
                }
                let indent = rest.len() - rest.trim_start_matches(' ').len();
                let blank = rest
                    .trim_start_matches([' ', '\t'])
                    .starts_with(['\n', '\r']);
                if !blank && indent < column {
                    fixed.extend(std::iter::repeat_n(' ', column - indent));
                }
            }
            _ => {}
        }
    }
    None
}

/// Documents of a stream as its events complete them, within the limit on their number.
pub(crate) struct Documents<'l> {
    builder: Builder<'l>,
    pub(crate) docs: Vec<YamlDocument>,
}

impl<'l> Documents<'l> {
    pub(crate) fn new(limits: &'l Limits) -> Self {
        Documents {
            builder: Builder::new(limits),
            docs: Vec::new(),
        }
    }

    /// JSON has no merge keys: `"<<"` is a key like any other.
    pub(crate) fn without_merge_keys(mut self) -> Self {
        self.builder.merge_keys = false;
        self
    }

    pub(crate) fn event(&mut self, event: Event<'_>, at: Span) -> Result<(), YamlError> {
        match self.builder.event(event, at) {
            Ok(Some(doc)) => {
                let limit = self.builder.limits.max_documents;
                if self.docs.len() >= limit {
                    return Err(YamlError {
                        line: at.line,
                        message: format!(
                            "more than {limit} documents in one file; the rest is not scanned"
                        ),
                    });
                }
                self.docs.push(doc);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(message) => Err(YamlError {
                line: at.line,
                message,
            }),
        }
    }
}

/// An open collection. Its children so far are the tail of [`Builder::items`] or
/// [`Builder::entries`] from `start` on.
enum Frame {
    Seq {
        start: usize,
        span: Span,
        anchor: usize,
    },
    Map {
        start: usize,
        span: Span,
        anchor: usize,
        /// The key whose value comes next.
        key: Option<(Text, Span)>,
        /// Key positions in `entries[start..]`, once the mapping is large enough for a linear
        /// search per key to turn quadratic.
        index: Option<HashMap<Text, usize>>,
    },
}

/// Mappings up to this size find duplicate keys by a linear search; larger ones by a hash map.
const LINEAR_KEY_SEARCH: usize = 16;

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    /// Children of the open collections, innermost last. A closing collection moves its own
    /// into one vector of exactly the right size: no vector grows per collection, and none
    /// keeps growth slack (most Kubernetes mappings hold one to four entries, and slack was a
    /// third of the parsed tree's memory).
    items: Vec<Node>,
    entries: Vec<Entry>,
    /// Anchored nodes by anchor id, for aliases.
    anchors: Vec<Option<Node>>,
    /// Nodes created by alias expansion in the current document.
    expanded: usize,
    /// Whether `<<` merges a mapping (YAML) or is a plain key (JSON).
    merge_keys: bool,
}

impl<'l> Builder<'l> {
    fn new(limits: &'l Limits) -> Self {
        Builder {
            limits,
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            anchors: Vec::new(),
            expanded: 0,
            merge_keys: true,
        }
    }

    fn event(&mut self, event: Event<'_>, at: Span) -> Result<Option<YamlDocument>, String> {
        match event {
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.expanded = 0;
                Ok(None)
            }
            Event::Scalar(text, style, anchor, tag) => {
                // Keys keep their text: `on:` or `y:` stay strings, not booleans.
                let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                let value = if is_key {
                    Value::String(owned(text))
                } else {
                    let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                    resolve_scalar(text, style, tag.as_deref())
                };
                self.complete(Node::new(value, at), anchor)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Frame::Seq {
                    start: self.items.len(),
                    span: at,
                    anchor,
                })?;
                Ok(None)
            }
            Event::MappingStart(anchor, _) => {
                self.open(Frame::Map {
                    start: self.entries.len(),
                    span: at,
                    anchor,
                    key: None,
                    index: None,
                })?;
                Ok(None)
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq {
                        start,
                        span,
                        anchor,
                    }) => {
                        let items = self.items.drain(start..).collect();
                        (Node::new(Value::Seq(items), span), anchor)
                    }
                    Some(Frame::Map {
                        start,
                        span,
                        anchor,
                        ..
                    }) => {
                        let entries = self.entries.drain(start..).collect();
                        (Node::new(Value::Map(entries), span), anchor)
                    }
                    None => return Err("unbalanced collection end".to_owned()),
                };
                self.complete(node, anchor)
            }
            Event::Alias(id) => {
                let anchored = self
                    .anchors
                    .get(id)
                    .and_then(Option::as_ref)
                    .ok_or_else(|| "alias to an unknown anchor".to_owned())?;
                // Count before copying, so a bomb is refused before it costs memory.
                self.expanded = self.expanded.saturating_add(count_nodes(anchored));
                if self.expanded > self.limits.max_alias_nodes {
                    return Err(format!(
                        "aliases expand to more than {} nodes (a YAML alias bomb?)",
                        self.limits.max_alias_nodes
                    ));
                }
                let mut node = anchored.clone();
                // Findings in the copy point at the alias, not at the anchored original.
                node.span = at;
                self.complete(node, 0)
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => Ok(None),
        }
    }

    fn open(&mut self, frame: Frame) -> Result<(), String> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(format!(
                "nesting deeper than {} levels",
                self.limits.max_depth
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// Places a finished node into its parent, or returns it as the document root.
    fn complete(&mut self, node: Node, anchor: usize) -> Result<Option<YamlDocument>, String> {
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some(node.clone());
        }
        match self.stack.last_mut() {
            None => Ok(Some(YamlDocument {
                line: node.span.line,
                root: node,
            })),
            Some(Frame::Seq { .. }) => {
                self.items.push(node);
                Ok(None)
            }
            Some(Frame::Map {
                start, key, index, ..
            }) => {
                let start = *start;
                match key.take() {
                    None => *key = Some((key_text(&node), node.span)),
                    Some((key, key_span)) if key == "<<" && self.merge_keys => {
                        merge_keys(&mut self.entries, start, index, node, key_span)?;
                    }
                    Some((key, key_span)) => {
                        let entry = Entry {
                            key,
                            key_span,
                            value: node,
                        };
                        // Later duplicates win, as in sigs.k8s.io/yaml.
                        match position(&self.entries, start, index, &entry.key) {
                            Some(at) => self.entries[start + at] = entry,
                            None => insert(&mut self.entries, start, index, entry),
                        }
                    }
                }
                Ok(None)
            }
        }
    }
}

/// Where `key` is among the mapping's entries (`entries[start..]`).
fn position(
    entries: &[Entry],
    start: usize,
    index: &Option<HashMap<Text, usize>>,
    key: &str,
) -> Option<usize> {
    match index {
        Some(index) => index.get(key).copied(),
        None => entries[start..].iter().position(|e| e.key == key),
    }
}

/// Appends a new key to the mapping, indexing the keys once the mapping grows large.
fn insert(
    entries: &mut Vec<Entry>,
    start: usize,
    index: &mut Option<HashMap<Text, usize>>,
    entry: Entry,
) {
    let at = entries.len() - start;
    match index {
        Some(index) => {
            index.insert(entry.key.clone(), at);
        }
        None if at >= LINEAR_KEY_SEARCH => {
            let mut keys: HashMap<Text, usize> = entries[start..]
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect();
            keys.insert(entry.key.clone(), at);
            *index = Some(keys);
        }
        None => {}
    }
    entries.push(entry);
}

/// `<<: *base` merges the base mapping's keys that the mapping (`entries[start..]`) does not
/// set itself.
fn merge_keys(
    entries: &mut Vec<Entry>,
    start: usize,
    index: &mut Option<HashMap<Text, usize>>,
    node: Node,
    at: Span,
) -> Result<(), String> {
    let sources = match node.value {
        Value::Map(_) => vec![node],
        Value::Seq(items) => items,
        _ => return Err(format!("line {}: merge key `<<` needs a mapping", at.line)),
    };
    for source in sources {
        for entry in source.entries() {
            if position(entries, start, index, &entry.key).is_none() {
                insert(entries, start, index, entry.clone());
            }
        }
    }
    Ok(())
}

fn key_text(node: &Node) -> Text {
    match &node.value {
        Value::String(s) => s.clone(),
        Value::Null => Text::const_new("null"),
        _ => Text::from(node.display_scalar()),
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries.iter().map(|e| 1 + count_nodes(&e.value)).sum(),
        _ => 0,
    }
}

/// The scalar's text as a string of its own length. The scanner hands over its working buffer,
/// whose capacity is several times the text: kept as it is, it tripled the memory of strings.
/// The scalar as tree text: short text inline, longer text in an allocation of exactly its
/// size (not the parser's oversized buffer).
fn owned(text: Cow<'_, str>) -> Text {
    Text::new(&*text)
}

/// Types a scalar the way Kubernetes' YAML decoder does.
fn resolve_scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("tag:yaml.org,2002:str" | "!!str") => return Value::String(owned(text)),
        Some("tag:yaml.org,2002:null" | "!!null") => return Value::Null,
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Value::String(owned(text));
    }
    match &*text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            return Value::Bool(true);
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            return Value::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = parse_int(&text) {
        return Value::Int(int);
    }
    if looks_like_float(&text)
        && let Ok(f) = text.replace('_', "").parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::String(owned(text))
}

/// YAML 1.1 integers: decimal, `0x` hex, `0b` binary, leading-zero or `0o` octal, `_` separators.
fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    // Every integer form starts with a digit; checking first spares most strings an allocation.
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let digits = digits.replace('_', "");
    let (radix, body) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(bin) = digits.strip_prefix("0b") {
        (2, bin)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(body, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

fn looks_like_float(text: &str) -> bool {
    let body = text.trim_start_matches(['-', '+']);
    body.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '.')
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<YamlDocument> {
        let (docs, err) = parse_stream(text, &Limits::default());
        assert_eq!(err, None);
        docs
    }

    #[test]
    fn positions_are_one_based() {
        let docs = parse("a: 1\nb:\n  c: x\n---\nd: true\n");
        assert_eq!(docs.len(), 2);
        let c = docs[0].root.pointer("/b/c").unwrap();
        assert_eq!((c.span.line, c.span.column), (3, 6));
        assert_eq!(docs[0].root.entry("b").unwrap().key_span, Span::new(2, 1));
        assert_eq!(docs[1].root.get("d").unwrap().as_bool(), Some(true));
        assert_eq!(docs[1].line, 5);
    }

    #[test]
    fn scalars_are_typed_like_kubernetes() {
        let docs = parse(
            "a: yes\nb: '0644'\nc: 0644\nd: 0x1F\ne: 1.5\nf: ~\ng: \"true\"\nh: 1_000\ni: -3\nj: 1e3\nk: 12ab\n",
        );
        let root = &docs[0].root;
        assert_eq!(root.get("a").unwrap().as_bool(), Some(true));
        assert_eq!(root.get("b").unwrap().as_str(), Some("0644"));
        assert_eq!(root.get("c").unwrap().as_i64(), Some(0o644));
        assert_eq!(root.get("d").unwrap().as_i64(), Some(31));
        assert_eq!(root.get("e").unwrap().value, Value::Float(1.5));
        assert!(root.get("f").unwrap().is_null());
        assert_eq!(root.get("g").unwrap().as_str(), Some("true"));
        assert_eq!(root.get("h").unwrap().as_i64(), Some(1000));
        assert_eq!(root.get("i").unwrap().as_i64(), Some(-3));
        assert_eq!(root.get("j").unwrap().value, Value::Float(1000.0));
        assert_eq!(root.get("k").unwrap().as_str(), Some("12ab"));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let docs = parse("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\ncopy: *b\n");
        let root = &docs[0].root;
        assert_eq!(root.pointer("/other/x").unwrap().as_i64(), Some(1));
        assert_eq!(root.pointer("/other/y").unwrap().as_i64(), Some(3));
        assert_eq!(root.pointer("/copy/y").unwrap().as_i64(), Some(2));
    }

    #[test]
    fn nested_collections_keep_their_own_children() {
        let docs = parse("a:\n  b: [1, [2, 3], {c: 4}]\n  d: {e: 5, e: 6}\n  d: {f: 7}\nz: [x]\n");
        let root = &docs[0].root;
        let keys: Vec<_> = root.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a", "z"]);
        let b = root.pointer("/a/b").unwrap().as_seq().unwrap();
        assert_eq!(b.len(), 3);
        assert_eq!(root.pointer("/a/b/1/1").unwrap().as_i64(), Some(3));
        assert_eq!(root.pointer("/a/b/2/c").unwrap().as_i64(), Some(4));
        // Later duplicates win, whole values included.
        assert_eq!(root.pointer("/a/d/f").unwrap().as_i64(), Some(7));
        assert!(root.pointer("/a/d/e").is_none());
        assert_eq!(root.pointer("/z/0").unwrap().as_str(), Some("x"));
    }

    #[test]
    fn large_mappings_keep_the_last_duplicate_in_linear_time() {
        let mut text = String::from("big:\n");
        for i in 0..50_000 {
            text.push_str(&format!("  k{i}: {i}\n"));
        }
        text.push_str("  k7: last\n  <<: {k8: merged, extra: merged}\n");
        let docs = parse(&text);
        let big = docs[0].root.get("big").unwrap();
        assert_eq!(big.entries().len(), 50_001);
        assert_eq!(big.get("k7").unwrap().as_str(), Some("last"));
        assert_eq!(big.get("k8").unwrap().as_i64(), Some(8));
        assert_eq!(big.get("extra").unwrap().as_str(), Some("merged"));
    }

    #[test]
    fn an_aliased_copy_is_placed_at_the_alias() {
        let docs = parse("a: &x {privileged: true}\nb: *x\n");
        assert_eq!(docs[0].root.get("b").unwrap().span, Span::new(2, 4));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            text.push_str(&format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let (_, err) = parse_stream(&text, &Limits::default());
        assert!(err.unwrap().message.contains("alias bomb"));
    }

    #[test]
    fn deep_nesting_is_refused_with_its_line() {
        let text = "[".repeat(500) + &"]".repeat(500);
        let (_, err) = parse_stream(&text, &Limits::default());
        let err = err.unwrap();
        // The parser's own recursion guard may fire before ours; either is a clean error.
        assert!(
            err.message.contains("nesting deeper") || err.message.contains("recursion limit"),
            "{}",
            err.message
        );
        assert_eq!(err.line, 1);
    }

    #[test]
    fn quoted_scalars_continued_at_their_keys_column_are_read_as_kubernetes_does() {
        let text = "kind: Pod\nstatus:\n  message: 'first\n  second ''quoted''\n\n  third'\n  reason: \"a\n  \\\"b\\\" c\"\n  conditions:\n  - m: 'x\n    y'\n    n: 1\nspec:\n  privileged: true\n";
        let docs = parse(text);
        let root = &docs[0].root;
        assert_eq!(
            root.pointer("/status/message").unwrap().as_str(),
            Some("first second 'quoted'\nthird")
        );
        assert_eq!(
            root.pointer("/status/reason").unwrap().as_str(),
            Some("a \"b\" c")
        );
        assert_eq!(
            root.pointer("/status/conditions/0/m").unwrap().as_str(),
            Some("x y")
        );
        assert_eq!(
            root.pointer("/status/conditions/0/n").unwrap().as_i64(),
            Some(1)
        );
        // Lines and columns of what follows are those of the text as written.
        let privileged = root
            .entry("spec")
            .unwrap()
            .value
            .entry("privileged")
            .unwrap();
        assert_eq!(privileged.key_span, Span::new(14, 3));
    }

    #[test]
    fn a_quoted_scalar_broken_by_a_document_marker_stays_an_error() {
        let (docs, err) = parse_stream("a: 1\n---\nb: 'x\n---\ny'\n", &Limits::default());
        assert_eq!(docs.len(), 1);
        assert!(err.is_some());
    }

    #[test]
    fn syntax_error_keeps_earlier_documents() {
        let (docs, err) = parse_stream("a: 1\n---\nb: [unclosed\n", &Limits::default());
        assert_eq!(docs.len(), 1);
        assert!(err.unwrap().line >= 3);
    }
}
