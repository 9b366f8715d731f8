//! YAML as Kustomize reads it: kyaml parses with go-yaml v3 (YAML 1.2 booleans, so `yes` is a
//! string; `0777` is still octal; plain timestamps become times) and turns each object into
//! JSON through `encoding/json`, so a value arrives here as that JSON would read. Errors carry
//! the line.

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

use crate::yaml::{MAX_ALIAS_NODES, MAX_DEPTH, is_digits, parse_go_int, yaml_style_float};

/// A YAML problem at a line of its text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

/// One document of a stream and the line it starts on.
#[derive(Debug, Clone)]
pub struct Document {
    pub line: usize,
    pub value: Value,
}

/// Every document of `text`, empty ones included as `null`.
pub fn documents(text: &str) -> Result<Vec<Document>, YamlError> {
    let mut builder = Builder::default();
    // go-yaml keeps no line break at the end of a block scalar that ends the text without
    // one; saphyr adds it.
    let unterminated = !text.ends_with('\n');
    let end = text.chars().count();
    let mut docs = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| YamlError {
            line: e.marker().line(),
            message: e.info().to_string(),
        })?;
        let line = span.start.line();
        let event = match event {
            Event::Scalar(
                value,
                style @ (ScalarStyle::Literal | ScalarStyle::Folded),
                anchor,
                tag,
            ) if unterminated && span.end.index() >= end && value.ends_with('\n') => {
                let trimmed = value[..value.len() - 1].to_string();
                Event::Scalar(trimmed.into(), style, anchor, tag)
            }
            other => other,
        };
        if let Some(value) = builder.event(event, line).map_err(|message| YamlError {
            line: builder.line.max(line),
            message,
        })? {
            docs.push(Document {
                line: builder.doc_line,
                value,
            });
        }
    }
    Ok(docs)
}

/// A plain scalar as go-yaml v3 resolves it, then as `encoding/json` writes it.
fn plain_scalar(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if first == b'.' {
        return match s {
            // JSON has no infinities: kustomize fails on them later; keep the text.
            ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN" => Value::String(s.into()),
            _ => match s.parse::<f64>() {
                Ok(f) if go_float_syntax(s) => float(f),
                _ => Value::String(s.into()),
            },
        };
    }
    if !(first.is_ascii_digit() || first == b'+' || first == b'-') {
        return Value::String(s.into());
    }
    if let Some(time) = timestamp(s) {
        return Value::String(time);
    }
    let plain = s.replace('_', "");
    if let Some(i) = parse_go_int(&plain) {
        if let Ok(small) = i64::try_from(i) {
            return Value::Number(small.into());
        }
        if let Ok(big) = u64::try_from(i) {
            return Value::Number(big.into());
        }
    }
    if yaml_style_float(&plain)
        && let Ok(f) = plain.parse::<f64>()
    {
        return float(f);
    }
    Value::String(s.into())
}

/// What `strconv.ParseFloat` accepts after a leading dot (`.5`, `.5e3`).
fn go_float_syntax(s: &str) -> bool {
    let body = &s[1..];
    let (digits, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    is_digits(digits) && exp.is_none_or(|e| is_digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// go-yaml v3's timestamp forms (`2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`, with `t` or a
/// space), as `time.Time` marshals to JSON (RFC 3339 with nanoseconds, trailing zeros cut).
pub fn timestamp(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    let mut rest = &s[5..];
    let number = |rest: &mut &str, max: usize| -> Option<u32> {
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
    let year: u32 = s[..4].parse().ok()?;
    let month = number(&mut rest, 2)?;
    rest = rest.strip_prefix('-')?;
    let day = number(&mut rest, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in(year, month) {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if rest.is_empty() {
        return Some(format!("{date}T00:00:00Z"));
    }
    let sep = rest.as_bytes()[0];
    if !matches!(sep, b'T' | b't' | b' ') {
        return None;
    }
    rest = &rest[1..];
    let hour = number(&mut rest, 2)?;
    rest = rest.strip_prefix(':')?;
    let minute = number(&mut rest, 2)?;
    rest = rest.strip_prefix(':')?;
    let second = number(&mut rest, 2)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut fraction = String::new();
    if let Some(f) = rest.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 9 {
            return None;
        }
        fraction = f[..n].trim_end_matches('0').to_string();
        rest = &f[n..];
    }
    let zone = match (sep, rest) {
        (b' ', "") => "Z".to_string(),
        (b' ', _) => return None,
        (_, "Z") => "Z".to_string(),
        (_, z)
            if z.len() == 6
                && matches!(z.as_bytes()[0], b'+' | b'-')
                && z.as_bytes()[3] == b':'
                && is_digits(&z[1..3])
                && is_digits(&z[4..6]) =>
        {
            if &z[1..3] == "00" && &z[4..6] == "00" {
                "Z".to_string()
            } else {
                z.to_string()
            }
        }
        _ => return None,
    };
    let dot = if fraction.is_empty() { "" } else { "." };
    Some(format!(
        "{date}T{hour:02}:{minute:02}:{second:02}{dot}{fraction}{zone}"
    ))
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Result<Value, String> {
    let plain = matches!(style, ScalarStyle::Plain);
    match tag {
        Some("tag:yaml.org,2002:str") => Ok(Value::String(text.into())),
        Some("tag:yaml.org,2002:null") => Ok(Value::Null),
        Some("tag:yaml.org,2002:int" | "tag:yaml.org,2002:float" | "tag:yaml.org,2002:bool") => {
            match plain_scalar(text) {
                Value::String(_) => Err(format!(
                    "cannot decode {} `{text}`",
                    tag.unwrap_or_default().replace("tag:yaml.org,2002:", "!!")
                )),
                v => Ok(v),
            }
        }
        Some(_) => Ok(Value::String(text.into())),
        None if plain => Ok(plain_scalar(text)),
        None => Ok(Value::String(text.into())),
    }
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(Map<String, Value>, Option<(String, usize)>, usize),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: Vec<Option<Value>>,
    expanded: usize,
    done: Option<Value>,
    line: usize,
    doc_line: usize,
}

fn size(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(size).sum::<usize>(),
        Value::Object(o) => 1 + o.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

impl Builder {
    fn event(&mut self, event: Event<'_>, line: usize) -> Result<Option<Value>, String> {
        self.line = line;
        match event {
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.expanded = 0;
                self.done = None;
                self.doc_line = line;
            }
            Event::DocumentEnd => return Ok(Some(self.done.take().unwrap_or(Value::Null))),
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| {
                    if t.handle == "!!" {
                        format!("tag:yaml.org,2002:{}", t.suffix)
                    } else {
                        format!("{}{}", t.handle, t.suffix)
                    }
                });
                if let Some(Frame::Map(_, key @ None, ..)) = self.stack.last_mut() {
                    *key = Some((text.to_string(), line));
                    return Ok(None);
                }
                let v = scalar(&text, style, tag.as_deref())?;
                self.complete(v, anchor)?;
            }
            Event::SequenceStart(anchor, _) => self.open(Frame::Seq(Vec::new(), anchor))?,
            Event::MappingStart(anchor, _) => self.open(Frame::Map(Map::new(), None, anchor))?,
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(items, a)) => (Value::Array(items), a),
                    Some(Frame::Map(entries, _, a)) => (Value::Object(entries), a),
                    None => return Err("unbalanced collection end".into()),
                };
                self.complete(v, anchor)?;
            }
            Event::Alias(id) => {
                let v = self
                    .anchors
                    .get(id)
                    .and_then(Option::clone)
                    .ok_or_else(|| "unknown anchor referenced".to_string())?;
                self.expanded += size(&v);
                if self.expanded > MAX_ALIAS_NODES {
                    return Err(format!(
                        "aliases expand to more than {MAX_ALIAS_NODES} nodes"
                    ));
                }
                if let Some(Frame::Map(_, key @ None, ..)) = self.stack.last_mut() {
                    match v {
                        Value::String(s) => *key = Some((s, line)),
                        _ => return Err("invalid map key: a collection".into()),
                    }
                    return Ok(None);
                }
                self.complete(v, 0)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(None)
    }

    fn open(&mut self, frame: Frame) -> Result<(), String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        if let Some(Frame::Map(_, None, ..)) = self.stack.last() {
            return Err("invalid map key: a collection".into());
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
            Some(Frame::Map(entries, key, ..)) => {
                let (k, key_line) = key.take().unwrap_or_default();
                if k == "<<" {
                    // Merge keys: a mapping or a list of them; keys written out win.
                    let sources = match v {
                        Value::Object(_) => vec![v],
                        Value::Array(items) => items,
                        _ => {
                            return Err(
                                "map merge requires map or sequence of maps as the value".into()
                            );
                        }
                    };
                    for source in sources {
                        if let Value::Object(m) = source {
                            for (k, val) in m {
                                entries.entry(k).or_insert(val);
                            }
                        }
                    }
                } else if entries.contains_key(&k) {
                    return Err(format!(
                        "mapping key \"{k}\" already defined (again at line {key_line})"
                    ));
                } else {
                    entries.insert(k, v);
                }
            }
            None => self.done = Some(v),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Value {
        documents(text).unwrap().remove(0).value
    }

    #[test]
    fn scalars_resolve_as_go_yaml_v3_then_json() {
        let v = one("[yes, on, '1', 0777, 0x1F, 1_000, 1e3, .5, ~, true, 2001-12-14, 1.0]");
        assert_eq!(
            v,
            serde_json::json!([
                "yes",
                "on",
                "1",
                511,
                31,
                1000,
                1000.0,
                0.5,
                null,
                true,
                "2001-12-14T00:00:00Z",
                1.0
            ])
        );
    }

    #[test]
    fn timestamps_keep_their_zone_and_cut_trailing_zeros() {
        assert_eq!(
            timestamp("2001-12-14t21:59:43.10-05:00").as_deref(),
            Some("2001-12-14T21:59:43.1-05:00")
        );
        assert_eq!(
            timestamp("2001-12-14 21:59:43.10").as_deref(),
            Some("2001-12-14T21:59:43.1Z")
        );
        assert_eq!(timestamp("2001-02-30"), None);
    }

    #[test]
    fn duplicate_keys_are_errors_with_their_line() {
        let e = documents("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(e.message.contains("\"a\" already defined"), "{e:?}");
        assert_eq!(e.line, 3);
    }
}
