//! Go's own template functions (`index`, `len`, `eq`, `printf`, …), with Go's messages.

use super::exec::{Engine, Func, Ty};
use crate::gofmt;
use crate::value::Value;

const RAW1: &[Ty] = &[Ty::Raw];
const RAW2: &[Ty] = &[Ty::Raw, Ty::Raw];
const STR1: &[Ty] = &[Ty::Str];

pub fn lookup(name: &str) -> Option<Func> {
    let f = |params, variadic, call| {
        Some(Func {
            params,
            variadic,
            call,
        })
    };
    match name {
        "call" => f(RAW1, Some(Ty::Raw), call),
        "html" => f(&[], Some(Ty::Any), html),
        "js" => f(&[], Some(Ty::Any), js),
        "urlquery" => f(&[], Some(Ty::Any), urlquery),
        "index" => f(RAW1, Some(Ty::Raw), index),
        "slice" => f(RAW1, Some(Ty::Raw), slice),
        "len" => f(RAW1, None, len),
        "not" => f(RAW1, None, |_, a| Ok(Value::Bool(!a[0].truth()))),
        "print" => f(&[], Some(Ty::Any), |_, a| {
            Ok(Value::from(gofmt::sprint(&a)))
        }),
        "println" => f(&[], Some(Ty::Any), |_, a| {
            Ok(Value::from(gofmt::sprintln(&a)))
        }),
        "printf" => f(STR1, Some(Ty::Any), |_, a| {
            let format = a[0].as_str().unwrap_or_default().to_string();
            Ok(Value::from(gofmt::sprintf(&format, &a[1..])))
        }),
        "eq" => f(RAW1, Some(Ty::Raw), eq),
        "ne" => f(RAW2, None, |_, a| Ok(Value::Bool(!eq_one(&a[0], &a[1])?))),
        "lt" => f(RAW2, None, |_, a| Ok(Value::Bool(lt(&a[0], &a[1])?))),
        "le" => f(RAW2, None, |_, a| {
            Ok(Value::Bool(lt(&a[0], &a[1])? || eq_one(&a[0], &a[1])?))
        }),
        "gt" => f(RAW2, None, |_, a| {
            Ok(Value::Bool(!(lt(&a[0], &a[1])? || eq_one(&a[0], &a[1])?)))
        }),
        "ge" => f(RAW2, None, |_, a| Ok(Value::Bool(!lt(&a[0], &a[1])?))),
        _ => None,
    }
}

fn call(_: &mut Engine<'_>, args: Vec<Value>) -> Result<Value, String> {
    match &args[0] {
        Value::Missing | Value::Nil => Err("call of nil".into()),
        other => Err(format!("non-function of type {}", other.type_name())),
    }
}

/// Go's `evalArgs`: one string as it is, anything else through `fmt.Sprint`.
fn text_of(args: &[Value]) -> String {
    if let [Value::Str(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Missing | Value::Nil => Value::from("<no value>"),
            other => other.clone(),
        })
        .collect();
    gofmt::sprint(&printable)
}

fn html(_: &mut Engine<'_>, args: Vec<Value>) -> Result<Value, String> {
    let s = text_of(&args);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    Ok(out.into())
}

fn js(_: &mut Engine<'_>, args: Vec<Value>) -> Result<Value, String> {
    let s = text_of(&args);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    Ok(out.into())
}

fn urlquery(_: &mut Engine<'_>, args: Vec<Value>) -> Result<Value, String> {
    Ok(query_escape(&text_of(&args)).into())
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn int_index(v: &Value, len: usize, what: &str) -> Result<usize, String> {
    match v {
        Value::Int(n) | Value::Int64(n) => {
            if *n < 0 || *n as u128 > len as u128 {
                return Err(format!("index out of range: {n}"));
            }
            Ok(*n as usize)
        }
        Value::Missing | Value::Nil => Err("cannot index slice/array with nil".into()),
        other => Err(format!(
            "cannot index {what} with type {}",
            other.type_name()
        )),
    }
}

fn index(_: &mut Engine<'_>, args: Vec<Value>) -> Result<Value, String> {
    let mut item = args[0].clone();
    if matches!(item, Value::Missing) {
        return Err("index of untyped nil".into());
    }
    for key in &args[1..] {
        item = match &item {
            Value::Missing | Value::Nil => return Err("index of nil pointer".into()),
            Value::List(l) => {
                let i = int_index(key, l.items.len(), "slice/array")?;
                match l.items.get(i) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::Str(s) => {
                let i = int_index(key, s.len(), "slice/array")?;
                match s.as_bytes().get(i) {
                    Some(b) => Value::Int(i64::from(*b)),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m) => match key {
                Value::Str(k) => m.get(k).unwrap_or(Value::Nil),
                Value::Missing | Value::Nil => {
                    return Err("value is nil; should be of type string".into());
                }
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(_: &mut Engine<'_>, args: Vec<Value>) -> Result<Value, String> {
    let item = &args[0];
    if matches!(item, Value::Missing) {
        return Err("slice of untyped nil".into());
    }
    if args.len() > 4 {
        return Err(format!("too many slice indexes: {}", args.len() - 1));
    }
    let len = match item {
        Value::List(l) => l.items.len(),
        Value::Str(s) => s.len(),
        Value::Nil => return Err("slice of nil pointer".into()),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    if matches!(item, Value::Str(_)) && args.len() > 3 {
        return Err("cannot 3-index slice a string".into());
    }
    let mut idx = [0usize, len, len];
    for (i, a) in args[1..].iter().enumerate() {
        idx[i] = int_index(a, len, "slice/array")?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    Ok(match item {
        Value::List(l) => Value::typed_list(l.elem, l.items[idx[0]..idx[1]].to_vec()),
        Value::Str(s) => match s.get(idx[0]..idx[1]) {
            Some(sub) => Value::from(sub),
            None => {
                Value::from(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned())
            }
        },
        _ => Value::Missing,
    })
}

fn len(_: &mut Engine<'_>, args: Vec<Value>) -> Result<Value, String> {
    let n = match &args[0] {
        Value::Missing => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Value::Nil => return Err("len of nil pointer".into()),
        Value::Str(s) => s.len(),
        Value::List(l) => l.items.len(),
        Value::Map(m) => m.read().len(),
        Value::Object(o) if o.entries().is_some() => o.entries().map_or(0, |e| e.len()),
        other => return Err(format!("len of type {}", other.type_name())),
    };
    Ok(Value::Int(n as i64))
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
    Other,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Missing | Value::Nil => Kind::Invalid,
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) | Value::Int64(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::Str(_) => Kind::Str,
        _ => Kind::Other,
    }
}

const BAD_COMPARISON: &str = "incompatible types for comparison";
const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

fn eq_one(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 != k2 {
        if k1 != Kind::Invalid && k2 != Kind::Invalid {
            return Err(BAD_COMPARISON.into());
        }
        return Ok(false);
    }
    Ok(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x) | Value::Int64(x), Value::Int(y) | Value::Int64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        _ if k1 == Kind::Invalid => true,
        _ => match crate::value::go_equal(a, b) {
            Some(t) => t,
            None => {
                return Err(format!(
                    "non-comparable type {}: {}",
                    gofmt::sprint_value(b),
                    b.type_name()
                ));
            }
        },
    })
}

fn eq(_: &mut Engine<'_>, args: Vec<Value>) -> Result<Value, String> {
    if args.len() < 2 {
        return Err("missing argument for comparison".into());
    }
    for b in &args[1..] {
        if eq_one(&args[0], b)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn lt(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if matches!(k1, Kind::Invalid | Kind::Other) || matches!(k2, Kind::Invalid | Kind::Other) {
        return Err(BAD_COMPARISON_TYPE.into());
    }
    if k1 != k2 {
        return Err(BAD_COMPARISON.into());
    }
    match (a, b) {
        (Value::Bool(_), _) => Err(BAD_COMPARISON_TYPE.into()),
        (Value::Int(x) | Value::Int64(x), Value::Int(y) | Value::Int64(y)) => Ok(x < y),
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        (Value::Str(x), Value::Str(y)) => Ok(x < y),
        _ => Err(BAD_COMPARISON_TYPE.into()),
    }
}
