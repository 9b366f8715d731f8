//! YAML as Helm reads and writes it. Helm goes through `sigs.k8s.io/yaml`: reading is
//! go-yaml v2 (YAML 1.1: `yes`, `on`, `y` are booleans, keys included) converted to JSON, so
//! every number becomes a `float64`; writing is JSON converted back through go-yaml v2's
//! emitter: sorted keys, sequences not indented under their key, strings quoted only when
//! they would read back as something else, long lines folded at 80 columns.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::value::{Entries, Value};

/// Limits on what one YAML text may expand to.
pub const MAX_DEPTH: usize = 200;
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// What a plain scalar means in YAML 1.1 as go-yaml v2 resolves it.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    /// A timestamp (go-yaml leaves it a string when the target is `interface{}`).
    Timestamp,
    Str,
}

pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Go's `strconv.ParseInt(s, 0, 64)` (or ParseUint) on an underscore-free string.
pub(crate) fn parse_go_int(s: &str) -> Option<i128> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, d)
        } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, d)
        } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, d)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let v = u64::from_str_radix(digits, radix).ok()? as i128;
    if neg {
        if v > i64::MAX as i128 + 1 {
            return None;
        }
        return Some(-v);
    }
    Some(v)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
pub(crate) fn yaml_style_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => is_digits(frac),
        Some((int, frac)) => is_digits(int) && (frac.is_empty() || is_digits(frac)),
        None => is_digits(mantissa),
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => is_digits(e.strip_prefix(['-', '+']).unwrap_or(e)),
    };
    mantissa_ok && exp_ok
}

/// Go's `time.Parse` with go-yaml's timestamp layouts, enough to tell whether it matches.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut rest = &s[5..];
    let mut take_num = |max: usize| -> Option<u32> {
        let n = rest
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        if n == 0 {
            return None;
        }
        let v = rest[..n].parse().ok();
        rest = &rest[n..];
        v
    };
    let Some(month) = take_num(2) else {
        return false;
    };
    if !rest.starts_with('-') {
        return false;
    }
    rest = &rest[1..];
    let take_num = |max: usize, rest: &mut &str| -> Option<u32> {
        let n = rest
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        if n == 0 {
            return None;
        }
        let v = rest[..n].parse().ok();
        *rest = &rest[n..];
        v
    };
    let Some(day) = take_num(2, &mut rest) else {
        return false;
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let sep = rest.as_bytes()[0];
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    rest = &rest[1..];
    let Some(h) = take_num(2, &mut rest) else {
        return false;
    };
    if !rest.starts_with(':') {
        return false;
    }
    rest = &rest[1..];
    let Some(m) = take_num(2, &mut rest) else {
        return false;
    };
    if !rest.starts_with(':') {
        return false;
    }
    rest = &rest[1..];
    let Some(sec) = take_num(2, &mut rest) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match sep {
        b' ' => rest.is_empty(),
        _ => {
            rest == "Z"
                || (rest.len() == 6
                    && matches!(rest.as_bytes()[0], b'+' | b'-')
                    && rest.as_bytes()[3] == b':'
                    && is_digits(&rest[1..3])
                    && is_digits(&rest[4..6]))
        }
    }
}

/// go-yaml v2's `resolve("", s)` for a plain scalar.
pub fn resolve(s: &str) -> Resolved {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Resolved::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Resolved::Bool(false);
        }
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match s.as_bytes()[0] {
        b'.' => match s.parse::<f64>() {
            Ok(f) if yaml_style_float(s) || s[1..].bytes().all(|b| b.is_ascii_digit()) => {
                Resolved::Float(f)
            }
            _ => Resolved::Str,
        },
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(s) {
                return Resolved::Timestamp;
            }
            let plain = s.replace('_', "");
            if let Some(i) = parse_go_int(&plain) {
                return Resolved::Int(i);
            }
            if yaml_style_float(&plain)
                && let Ok(f) = plain.parse::<f64>()
            {
                return Resolved::Float(f);
            }
            Resolved::Str
        }
        _ => Resolved::Str,
    }
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: quoted on output for old parsers.
fn is_base60_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit() || b == b'_')) {
        return false;
    }
    let mut parts = main.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    if !head.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || !head.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return false;
    }
    let mut count = 0;
    for p in parts {
        count += 1;
        let ok = match p.len() {
            1 => p.as_bytes()[0].is_ascii_digit(),
            2 => (b'0'..=b'5').contains(&p.as_bytes()[0]) && p.as_bytes()[1].is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    count > 0
}

// ---------------------------------------------------------------------------------------
// Reading

/// A YAML text read as `sigs.k8s.io/yaml.Unmarshal` reads it into `interface{}`: the first
/// document, numbers as `float64`, keys as strings. `None` for an empty document.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut docs = parse_documents(text, 1)?;
    Ok(docs.pop().unwrap_or(Value::Nil))
}

/// Every document of a stream (`fromYamlArray` and manifests), at most `max_docs`.
pub fn parse_documents(text: &str, max_docs: usize) -> Result<Vec<Value>, String> {
    let mut builder = Builder::default();
    let mut docs = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) =
            event.map_err(|e| format!("yaml: line {}: {}", e.marker().line(), e.info()))?;
        if let Some(doc) = builder.event(event, span)? {
            docs.push(doc);
            if docs.len() >= max_docs {
                break;
            }
        }
    }
    Ok(docs)
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(Entries, Option<String>, usize),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: Vec<Option<Value>>,
    expanded: usize,
    done: Option<Value>,
}

fn count_nodes(v: &Value) -> usize {
    match v {
        Value::List(l) => 1 + l.items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(m) => 1 + m.read().values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// A resolved scalar as a JSON round trip leaves it (numbers become `float64`).
fn scalar_value(text: &str, style: ScalarStyle, tag: Option<String>) -> Result<Value, String> {
    let tag = tag.as_deref();
    let plain = matches!(style, ScalarStyle::Plain);
    let resolved = match tag {
        Some("!!str" | "tag:yaml.org,2002:str") => Resolved::Str,
        Some("!!null" | "tag:yaml.org,2002:null") => Resolved::Null,
        Some(
            "!!int"
            | "tag:yaml.org,2002:int"
            | "!!float"
            | "tag:yaml.org,2002:float"
            | "!!bool"
            | "tag:yaml.org,2002:bool",
        ) => {
            let r = resolve(text);
            if matches!(r, Resolved::Str | Resolved::Timestamp) {
                return Err(format!(
                    "yaml: cannot decode !!{} `{text}`",
                    tag.unwrap_or_default()
                        .rsplit([':', '!'])
                        .next()
                        .unwrap_or_default()
                ));
            }
            r
        }
        Some(_) => Resolved::Str,
        None if plain => resolve(text),
        None => Resolved::Str,
    };
    Ok(match resolved {
        Resolved::Null => Value::Nil,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Float(i as f64),
        Resolved::Float(f) if f.is_finite() => Value::Float(f),
        Resolved::Float(f) => {
            return Err(format!(
                "json: unsupported value: {}",
                crate::gofmt::format_float(f, 'v', None, false)
            ));
        }
        Resolved::Timestamp | Resolved::Str => Value::str(text),
    })
}

/// A map key as `sigs.k8s.io/yaml` turns it into a JSON key.
fn key_string(text: &str, style: ScalarStyle, tag: Option<String>) -> Result<String, String> {
    if !matches!(style, ScalarStyle::Plain) || tag.is_some() {
        return Ok(text.to_string());
    }
    Ok(match resolve(text) {
        Resolved::Null => return Err("unsupported map key of type: <nil>".into()),
        Resolved::Bool(b) => b.to_string(),
        Resolved::Int(i) => i.to_string(),
        Resolved::Float(f) => {
            // go-yaml's float-to-string, at 32-bit precision.
            let s = crate::gofmt::format_float(f64::from(f as f32), 'v', None, false);
            match s.as_str() {
                "+Inf" => ".inf".into(),
                "-Inf" => "-.inf".into(),
                "NaN" => ".nan".into(),
                _ => s,
            }
        }
        Resolved::Timestamp | Resolved::Str => text.to_string(),
    })
}

impl Builder {
    fn event(&mut self, event: Event<'_>, _span: Span) -> Result<Option<Value>, String> {
        match event {
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.expanded = 0;
                self.done = None;
            }
            Event::DocumentEnd => return Ok(Some(self.done.take().unwrap_or(Value::Nil))),
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                if let Some(Frame::Map(_, key @ None, _)) = self.stack.last_mut() {
                    *key = Some(key_string(&text, style, tag)?);
                    return Ok(None);
                }
                let v = scalar_value(&text, style, tag)?;
                self.complete(v, anchor)?;
            }
            Event::SequenceStart(anchor, _) => self.open(Frame::Seq(Vec::new(), anchor))?,
            Event::MappingStart(anchor, _) => {
                self.open(Frame::Map(Entries::new(), None, anchor))?
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(items, a)) => (Value::list(items), a),
                    Some(Frame::Map(entries, _, a)) => (Value::map(entries), a),
                    None => return Err("yaml: unbalanced collection end".into()),
                };
                self.complete(v, anchor)?;
            }
            Event::Alias(id) => {
                let v = self
                    .anchors
                    .get(id)
                    .and_then(Option::clone)
                    .ok_or_else(|| "yaml: unknown anchor referenced".to_string())?;
                self.expanded += count_nodes(&v);
                if self.expanded > MAX_ALIAS_NODES {
                    return Err(format!(
                        "yaml: aliases expand to more than {MAX_ALIAS_NODES} nodes"
                    ));
                }
                // A merge key (`<<: *base`) brings the anchored mapping's entries in.
                if let Some(Frame::Map(entries, key, _)) = self.stack.last_mut()
                    && key.as_deref() == Some("<<")
                    && let Value::Map(m) = &v
                {
                    for (k, val) in m.read().iter() {
                        entries.entry(k.clone()).or_insert_with(|| val.clone());
                    }
                    *key = None;
                    return Ok(None);
                }
                self.complete(v.deep_copy(), 0)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(None)
    }

    fn open(&mut self, frame: Frame) -> Result<(), String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("yaml: nesting deeper than {MAX_DEPTH} levels"));
        }
        if let Some(Frame::Map(_, None, _)) = self.stack.last() {
            return Err("yaml: invalid map key: a collection".into());
        }
        self.stack.push(frame);
        Ok(())
    }

    fn complete(&mut self, v: Value, anchor: usize) -> Result<(), String> {
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some(v.clone());
        }
        match self.stack.last_mut() {
            Some(Frame::Seq(items, _)) => items.push(v),
            Some(Frame::Map(entries, key, _)) => {
                let k = key.take().unwrap_or_default();
                if k == "<<" {
                    // Merge keys: a mapping or a list of mappings; explicit keys win.
                    let sources: Vec<Value> = match &v {
                        Value::Map(_) => vec![v.clone()],
                        Value::List(l) => l.items.clone(),
                        _ => {
                            return Err(
                                "yaml: map merge requires map or sequence of maps as the value"
                                    .into(),
                            );
                        }
                    };
                    for s in sources {
                        if let Value::Map(m) = s {
                            for (k, val) in m.read().iter() {
                                entries.entry(k.clone()).or_insert_with(|| val.clone());
                            }
                        }
                    }
                } else {
                    entries.insert(k, v);
                }
            }
            None => self.done = Some(v),
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Writing

/// `sigs.k8s.io/yaml.Marshal(v)`: JSON, then go-yaml v2's block style. Ends with a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
    };
    let v = json_normalized(v);
    e.node(&v, -1, Context::Top);
    if e.column > 0 {
        e.out.push('\n');
    }
    e.out
}

/// A value after `json.Marshal` and go-yaml's reading back: integral floats that JSON writes
/// without an exponent become ints, `int`/`int64` merge, objects become their JSON form.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

fn json_normalized(v: &Value) -> Node {
    match v {
        Value::Missing | Value::Nil => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Node::Int(i128::from(*i)),
        Value::Float(f) => {
            let text = crate::json::format_float(*f);
            match resolve(&text) {
                Resolved::Int(i) => Node::Int(i),
                _ => Node::Float(*f),
            }
        }
        Value::Str(s) => Node::Str(s.to_string()),
        Value::List(l) => Node::Seq(l.items.iter().map(json_normalized).collect()),
        Value::Map(m) => {
            let mut entries: Vec<(String, Node)> = m
                .read()
                .iter()
                .map(|(k, v)| (k.clone(), json_normalized(v)))
                .collect();
            entries.sort_by(|a, b| key_order(&a.0, &b.0));
            Node::Map(entries)
        }
        Value::Object(o) => Node::Str(o.display()),
    }
}

/// go-yaml v2's key order: runs of digits compare as numbers, letters after other characters.
pub fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let less = |x: bool| if x { Ordering::Less } else { Ordering::Greater };
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return less(bl);
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Top,
    MapValue,
    SeqItem,
    Key,
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

const BEST_WIDTH: usize = 80;
const BEST_INDENT: i32 = 2;

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
}

/// What libyaml's `analyze_scalar` finds out about a string.
struct Analysis {
    multiline: bool,
    block_plain: bool,
    single_quoted: bool,
    block: bool,
}

fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blankz(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c == ' ' || c == '\t' || is_break(c) || c == '\0',
    }
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain: true,
            single_quoted: true,
            block: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let (mut block_indicators, mut line_breaks, mut special) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    if s.starts_with("---") || s.starts_with("...") {
        block_indicators = true;
    }
    let mut preceded_by_ws = true;
    let mut followed_by_ws = is_blankz(chars.get(1).copied());
    let n = chars.len();
    for i in 0..n {
        let c = chars[i];
        if i == 0 {
            if matches!(
                c,
                '#' | ','
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '&'
                    | '*'
                    | '!'
                    | '|'
                    | '>'
                    | '\''
                    | '"'
                    | '%'
                    | '@'
                    | '`'
            ) {
                block_indicators = true;
            }
            if matches!(c, '?' | ':') && followed_by_ws {
                block_indicators = true;
            }
            if c == '-' && followed_by_ws {
                block_indicators = true;
            }
        } else {
            if c == ':' && followed_by_ws {
                block_indicators = true;
            }
            if c == '#' && preceded_by_ws {
                block_indicators = true;
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i == n - 1 {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            if i == 0 {
                leading_break = true;
            }
            if i == n - 1 {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = is_blankz(Some(c));
        if i + 1 < n {
            followed_by_ws = is_blankz(chars.get(i + 2).copied());
        }
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain: true,
        single_quoted: true,
        block: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single_quoted = false;
    }
    if space_break || special {
        a.block_plain = false;
        a.single_quoted = false;
        a.block = false;
    }
    if line_breaks || block_indicators {
        a.block_plain = false;
    }
    a
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        if c == '\n' {
            self.column = 0;
        } else {
            self.column += 1;
        }
    }

    fn write_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    fn write_indent(&mut self, indent: i32) {
        let indent = indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put('\n');
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn indicator(
        &mut self,
        s: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.write_str(s);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// `indent` is the enclosing collection's indentation (−1 at the top).
    fn node(&mut self, v: &Node, indent: i32, ctx: Context) {
        match v {
            Node::Null => self.scalar("null", Style::Plain, indent, ctx),
            Node::Bool(b) => {
                self.scalar(if *b { "true" } else { "false" }, Style::Plain, indent, ctx)
            }
            Node::Int(i) => self.scalar(&i.to_string(), Style::Plain, indent, ctx),
            Node::Float(f) => {
                let s = crate::gofmt::format_float(*f, 'v', None, false);
                let s = match s.as_str() {
                    "+Inf" => ".inf".to_string(),
                    "-Inf" => "-.inf".to_string(),
                    "NaN" => ".nan".to_string(),
                    _ => s,
                };
                self.scalar(&s, Style::Plain, indent, ctx)
            }
            Node::Str(s) => {
                let can_plain = resolve_is_str(s) && !is_base60_float(s);
                let style = if s.contains('\n') {
                    Style::Literal
                } else if can_plain {
                    Style::Plain
                } else {
                    Style::Double
                };
                self.scalar(s, style, indent, ctx)
            }
            Node::Seq(items) if items.is_empty() => {
                self.indicator("[", true, true, false);
                self.indicator("]", false, false, false);
            }
            Node::Map(entries) if entries.is_empty() => {
                self.indicator("{", true, true, false);
                self.indicator("}", false, false, false);
            }
            Node::Seq(items) => {
                // A sequence under a mapping key is not indented.
                let seq_indent = match ctx {
                    Context::MapValue => indent.max(0),
                    _ => {
                        if indent < 0 {
                            0
                        } else {
                            indent + BEST_INDENT
                        }
                    }
                };
                for item in items {
                    self.write_indent(seq_indent);
                    self.indicator("-", true, false, true);
                    self.node(item, seq_indent, Context::SeqItem);
                }
            }
            Node::Map(entries) => {
                let map_indent = if indent < 0 { 0 } else { indent + BEST_INDENT };
                for (k, item) in entries {
                    self.write_indent(map_indent);
                    self.node(&Node::Str(k.clone()), map_indent, Context::Key);
                    self.indicator(":", false, false, false);
                    self.node(item, map_indent, Context::MapValue);
                }
            }
        }
    }

    fn scalar(&mut self, s: &str, requested: Style, indent: i32, ctx: Context) {
        let a = analyze(s);
        let simple_key = ctx == Context::Key;
        let mut style = requested;
        if simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if !a.block_plain {
                style = Style::Single;
            }
            if s.is_empty() && simple_key {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block || simple_key) {
            style = Style::Double;
        }
        let scalar_indent = if indent < 0 {
            BEST_INDENT
        } else {
            indent + BEST_INDENT
        };
        let allow_breaks = !simple_key;
        match style {
            Style::Plain => self.write_plain(s, scalar_indent, allow_breaks),
            Style::Single => self.write_single(s, scalar_indent, allow_breaks),
            Style::Double => self.write_double(s, scalar_indent, allow_breaks),
            Style::Literal => self.write_literal(s, scalar_indent),
        }
    }

    fn write_plain(&mut self, s: &str, indent: i32, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, s: &str, indent: i32, allow_breaks: bool) {
        self.indicator("'", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != n - 1
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                if c == '\'' {
                    self.put('\'');
                }
                self.indention = false;
                spaces = false;
            }
        }
        self.indicator("'", false, false, false);
    }

    fn write_double(&mut self, s: &str, indent: i32, allow_breaks: bool) {
        self.indicator("\"", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{A0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c if (c as u32) <= 0xFF => self.write_str(&format!("x{:02X}", c as u32)),
                    c if (c as u32) <= 0xFFFF => self.write_str(&format!("u{:04X}", c as u32)),
                    c => self.write_str(&format!("U{:08X}", c as u32)),
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i != n - 1 {
                    self.write_indent(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.indicator("\"", false, false, false);
    }

    fn write_literal(&mut self, s: &str, indent: i32) {
        self.indicator("|", true, false, false);
        let first = s.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break(c)) {
            self.indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chars: Vec<char> = s.chars().collect();
        let chomp = match chars.as_slice() {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., before, _] if is_break(*before) => Some("+"),
            _ => None,
        };
        if let Some(h) = chomp {
            self.indicator(h, false, false, false);
        }
        self.put('\n');
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.put('\n');
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

fn resolve_is_str(s: &str) -> bool {
    !s.is_empty() && resolve(s) == Resolved::Str
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(text: &str) -> String {
        to_yaml(&parse(text).unwrap())
    }

    #[test]
    fn yaml_1_1_scalars_and_keys() {
        assert_eq!(
            y("a: yes\nn: 1\nb: 0x10\nc: 010\nd: 1_000\ne: 2024-01-01\nf: '3'\n"),
            "a: true\nb: 16\nc: 8\nd: 1000\ne: \"2024-01-01\"\nf: \"3\"\n\"false\": 1\n"
        );
    }

    #[test]
    fn block_layout_as_go_yaml_writes_it() {
        assert_eq!(
            y("m: {b: [1, {x: 2, z: []}], a: {}}\nl: [[1, 2], 3]\n"),
            "l:\n- - 1\n  - 2\n- 3\nm:\n  a: {}\n  b:\n  - 1\n  - x: 2\n    z: []\n"
        );
        assert_eq!(
            y(
                "s: \"line1\\nline2\\n\"\nt: \"a: b\"\nu: \"# x\"\nv: \" lead\"\nw: \"tab\\there\"\n"
            ),
            "s: |\n  line1\n  line2\nt: 'a: b'\nu: '# x'\nv: ' lead'\nw: \"tab\\there\"\n"
        );
    }

    #[test]
    fn keys_sort_with_numbers_as_numbers() {
        let mut keys = vec!["a10", "a9", "a_b", "ab", "B", "_x"];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, vec!["_x", "B", "a_b", "a9", "a10", "ab"]);
    }
}
