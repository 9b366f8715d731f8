//! Sprig's lists and dictionaries. Dictionaries are Go maps: `set`, `unset` and `merge`
//! change the map they are given, as charts expect.

use super::add;
use super::convert::{strval, to_int64};
use crate::gotmpl::{FuncMap, Ty};
use crate::value::{Elem, Entries, GoMap, Value, deep_equal};

type R = Result<Value, String>;

fn items(v: &Value, what: &str) -> Result<Vec<Value>, String> {
    match v {
        Value::List(l) => Ok(l.items.clone()),
        Value::Missing | Value::Nil => {
            Err("runtime error: invalid memory address or nil pointer dereference".into())
        }
        other => Err(format!("Cannot {what} on type {}", other.kind_name())),
    }
}

fn map_of(v: &Value) -> Option<&GoMap> {
    match v {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

fn in_list(list: &[Value], v: &Value) -> bool {
    list.iter().any(|x| deep_equal(x, v))
}

/// mergo's `Merge` (with `overwrite`, `MergeOverwrite`) of `src` into `dst`, in place.
fn merge_into(dst: &GoMap, src: &GoMap, overwrite: bool, depth: usize) {
    if depth > crate::yaml::MAX_DEPTH {
        return;
    }
    let src_entries: Vec<(String, Value)> = src
        .read()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, s) in src_entries {
        let d = dst.get(&key);
        if s.is_nil() {
            if overwrite {
                dst.write().insert(key, Value::Nil);
            }
            continue;
        }
        if let (Value::Map(sm), Some(Value::Map(dm))) = (&s, &d) {
            if !std::sync::Arc::ptr_eq(sm, dm) {
                merge_into(dm, sm, overwrite, depth + 1);
            }
            continue;
        }
        let dst_empty = d.as_ref().is_none_or(|v| v.is_empty());
        if let (Some(dv), Value::List(_) | Value::Map(_)) = (&d, &s)
            && !dv.is_empty()
            && !overwrite
        {
            continue;
        }
        if overwrite || dst_empty {
            dst.write().insert(key, s);
        }
    }
}

fn until_step(start: i64, stop: i64, step: i64) -> Value {
    let mut v = Vec::new();
    let limit = crate::gotmpl::MAX_OUTPUT / 8;
    if stop < start {
        if step >= 0 {
            return Value::typed_list(Elem::Int, v);
        }
        let mut i = start;
        while i > stop && v.len() < limit {
            v.push(Value::Int(i));
            i += step;
        }
    } else {
        if step <= 0 {
            return Value::typed_list(Elem::Int, v);
        }
        let mut i = start;
        while i < stop && v.len() < limit {
            v.push(Value::Int(i));
            i += step;
        }
    }
    Value::typed_list(Elem::Int, v)
}

fn int(a: &Value) -> i64 {
    match a {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

fn dig(dict: &Value, default: &Value, keys: &[Value]) -> R {
    let Some((first, rest)) = keys.split_first() else {
        return Ok(default.clone());
    };
    let Some(key) = first.as_str() else {
        return Err(format!(
            "interface conversion: interface {{}} is {}, not string",
            first.type_name()
        ));
    };
    let Some(m) = map_of(dict) else {
        return Err(format!(
            "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
            dict.type_name()
        ));
    };
    match m.get(key) {
        None => Ok(default.clone()),
        Some(step) if rest.is_empty() => Ok(step),
        Some(step) => dig(&step, default, rest),
    }
}

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    add(m, "list", &[], Some(Any), |_, a| {
        Ok(Value::list(a.into_iter().map(Value::stored).collect()))
    });
    add(m, "tuple", &[], Some(Any), |_, a| {
        Ok(Value::list(a.into_iter().map(Value::stored).collect()))
    });
    add(m, "dict", &[], Some(Any), |_, a| {
        let mut entries = Entries::new();
        for pair in a.chunks(2) {
            let key = strval(&pair[0]);
            let value = pair.get(1).cloned().map_or(Value::from(""), Value::stored);
            entries.insert(key, value);
        }
        Ok(Value::map(entries))
    });
    add(m, "get", &[Map, Str], None, |_, a| {
        let key = a[1].as_str().unwrap_or_default();
        Ok(map_of(&a[0])
            .and_then(|m| m.get(key))
            .unwrap_or_else(|| Value::from("")))
    });
    add(m, "set", &[Map, Str, Any], None, |_, a| {
        let Some(m) = map_of(&a[0]) else {
            return Err("assignment to entry in nil map".into());
        };
        m.write().insert(
            a[1].as_str().unwrap_or_default().to_string(),
            a[2].clone().stored(),
        );
        Ok(a[0].clone())
    });
    add(m, "unset", &[Map, Str], None, |_, a| {
        if let Some(m) = map_of(&a[0]) {
            m.write().remove(a[1].as_str().unwrap_or_default());
        }
        Ok(a[0].clone())
    });
    add(m, "hasKey", &[Map, Str], None, |_, a| {
        let key = a[1].as_str().unwrap_or_default();
        Ok(Value::Bool(
            map_of(&a[0]).is_some_and(|m| m.read().contains_key(key)),
        ))
    });
    add(m, "pluck", &[Str], Some(Map), |_, a| {
        let key = a[0].as_str().unwrap_or_default();
        Ok(Value::list(
            a[1..]
                .iter()
                .filter_map(|d| map_of(d).and_then(|m| m.get(key)))
                .collect(),
        ))
    });
    add(m, "keys", &[], Some(Map), |_, a| {
        // Go's map order is random; sorted keys are one of the orders Helm can print.
        let mut keys = Vec::new();
        for d in &a {
            if let Some(m) = map_of(d) {
                keys.extend(m.read().keys().cloned());
            }
        }
        Ok(Value::strings(keys))
    });
    add(m, "values", &[Map], None, |_, a| {
        Ok(Value::list(
            map_of(&a[0])
                .map(|m| m.read().values().cloned().collect())
                .unwrap_or_default(),
        ))
    });
    add(m, "pick", &[Map], Some(Str), |_, a| {
        let mut out = Entries::new();
        if let Some(m) = map_of(&a[0]) {
            for k in &a[1..] {
                let k = k.as_str().unwrap_or_default();
                if let Some(v) = m.get(k) {
                    out.insert(k.to_string(), v);
                }
            }
        }
        Ok(Value::map(out))
    });
    add(m, "omit", &[Map], Some(Str), |_, a| {
        let omit: Vec<&str> = a[1..].iter().filter_map(Value::as_str).collect();
        let out = map_of(&a[0])
            .map(|m| {
                m.read()
                    .iter()
                    .filter(|(k, _)| !omit.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Value::map(out))
    });
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        let call: crate::gotmpl::FuncImpl = if overwrite {
            |_, a| merge_all(a, true)
        } else {
            |_, a| merge_all(a, false)
        };
        add(m, name, &[Map], Some(Map), call);
    }
    add(m, "deepCopy", &[Any], None, |_, a| Ok(a[0].deep_copy()));
    add(m, "mustDeepCopy", &[Any], None, |_, a| Ok(a[0].deep_copy()));

    add(m, "append", &[Any, Any], None, push);
    add(m, "push", &[Any, Any], None, push);
    add(m, "mustAppend", &[Any, Any], None, push);
    add(m, "mustPush", &[Any, Any], None, push);
    add(m, "prepend", &[Any, Any], None, prepend);
    add(m, "mustPrepend", &[Any, Any], None, prepend);
    add(m, "first", &[Any], None, |_, a| {
        Ok(items(&a[0], "find first")?
            .into_iter()
            .next()
            .unwrap_or(Value::Nil))
    });
    add(m, "mustFirst", &[Any], None, |_, a| {
        Ok(items(&a[0], "find first")?
            .into_iter()
            .next()
            .unwrap_or(Value::Nil))
    });
    add(m, "last", &[Any], None, |_, a| {
        Ok(items(&a[0], "find last")?.pop().unwrap_or(Value::Nil))
    });
    add(m, "mustLast", &[Any], None, |_, a| {
        Ok(items(&a[0], "find last")?.pop().unwrap_or(Value::Nil))
    });
    add(m, "rest", &[Any], None, |_, a| rest(&a[0]));
    add(m, "mustRest", &[Any], None, |_, a| rest(&a[0]));
    add(m, "initial", &[Any], None, |_, a| initial(&a[0]));
    add(m, "mustInitial", &[Any], None, |_, a| initial(&a[0]));
    add(m, "reverse", &[Any], None, |_, a| {
        let mut v = items(&a[0], "find reverse")?;
        v.reverse();
        Ok(Value::list(v))
    });
    add(m, "mustReverse", &[Any], None, |_, a| {
        let mut v = items(&a[0], "find reverse")?;
        v.reverse();
        Ok(Value::list(v))
    });
    add(m, "uniq", &[Any], None, |_, a| {
        let mut out: Vec<Value> = Vec::new();
        for v in items(&a[0], "find uniq")? {
            if !in_list(&out, &v) {
                out.push(v);
            }
        }
        Ok(Value::list(out))
    });
    add(m, "without", &[Any], Some(Any), |_, a| {
        let omit = &a[1..];
        Ok(Value::list(
            items(&a[0], "find without")?
                .into_iter()
                .filter(|v| !in_list(omit, v))
                .collect(),
        ))
    });
    add(m, "has", &[Any, Any], None, |_, a| {
        if a[1].is_nil() {
            return Ok(Value::Bool(false));
        }
        Ok(Value::Bool(in_list(&items(&a[1], "find has")?, &a[0])))
    });
    add(m, "compact", &[Any], None, |_, a| {
        Ok(Value::list(
            items(&a[0], "compact")?
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect(),
        ))
    });
    add(m, "slice", &[Any], Some(Any), |_, a| {
        let Value::List(l) = &a[0] else {
            return Err(format!(
                "list should be type of slice or array but {}",
                a[0].kind_name()
            ));
        };
        if l.items.is_empty() {
            return Ok(Value::Nil);
        }
        let start = a.get(1).map_or(0, to_int64);
        let end = a.get(2).map_or(l.items.len() as i64, to_int64);
        if start < 0 || end < start || end as usize > l.items.len() {
            return Err(format!("reflect: slice index out of range [{start}:{end}]"));
        }
        Ok(Value::typed_list(
            l.elem,
            l.items[start as usize..end as usize].to_vec(),
        ))
    });
    add(m, "concat", &[], Some(Any), |_, a| {
        let mut out = Vec::new();
        for list in &a {
            match list {
                Value::List(l) => out.extend(l.items.iter().cloned()),
                other => return Err(format!("Cannot concat type {} as list", other.kind_name())),
            }
        }
        Ok(Value::list(out))
    });
    add(m, "dig", &[], Some(Any), |_, a| {
        if a.len() < 3 {
            return Err("dig needs at least three arguments".into());
        }
        let n = a.len();
        dig(&a[n - 1], &a[n - 2], &a[..n - 2])
    });
    add(m, "chunk", &[Int, Any], None, |_, a| {
        let size = int(&a[0]);
        if size <= 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        let list = items(&a[1], "chunk")?;
        Ok(Value::typed_list(
            Elem::Any,
            list.chunks(size as usize)
                .map(|c| Value::list(c.to_vec()))
                .collect(),
        ))
    });
    // The `must` forms differ only in returning an error where the others panic, and both
    // reach the template as an error.
    for (must, plain) in [
        ("mustUniq", "uniq"),
        ("mustWithout", "without"),
        ("mustHas", "has"),
        ("mustCompact", "compact"),
        ("mustSlice", "slice"),
        ("mustChunk", "chunk"),
    ] {
        let f = m[plain];
        m.insert(must, f);
    }
    add(m, "until", &[Int], None, |_, a| {
        let n = int(&a[0]);
        Ok(until_step(0, n, if n < 0 { -1 } else { 1 }))
    });
    add(m, "untilStep", &[Int, Int, Int], None, |_, a| {
        Ok(until_step(int(&a[0]), int(&a[1]), int(&a[2])))
    });
    add(m, "seq", &[], Some(Int), |_, a| {
        let nums: Vec<i64> = a.iter().map(int).collect();
        let (start, step, end) = match nums.as_slice() {
            [] => return Ok("".into()),
            [end] => (1, 1, *end),
            [start, end] => (*start, if end >= start { 1 } else { -1 }, *end),
            [start, step, end, ..] => (*start, *step, *end),
        };
        let list = if step > 0 {
            until_step(start, end + 1, step)
        } else {
            until_step(start, end - 1, step)
        };
        let Value::List(l) = list else {
            return Ok("".into());
        };
        Ok(l.items
            .iter()
            .map(crate::gofmt::sprint_value)
            .collect::<Vec<_>>()
            .join(" ")
            .into())
    });
}

fn merge_all(a: Vec<Value>, overwrite: bool) -> R {
    let Some(dst) = map_of(&a[0]) else {
        return Err("src and dst must be of same type".into());
    };
    for src in &a[1..] {
        if let Some(s) = map_of(src) {
            merge_into(dst, s, overwrite, 0);
        }
    }
    Ok(a[0].clone())
}

fn push(_: &mut crate::gotmpl::Engine<'_>, a: Vec<Value>) -> R {
    let mut v = items(&a[0], "push")?;
    v.push(a[1].clone().stored());
    Ok(Value::list(v))
}

fn prepend(_: &mut crate::gotmpl::Engine<'_>, a: Vec<Value>) -> R {
    let mut v = items(&a[0], "prepend")?;
    v.insert(0, a[1].clone().stored());
    Ok(Value::list(v))
}

fn rest(list: &Value) -> R {
    let v = items(list, "find rest")?;
    if v.is_empty() {
        return Ok(Value::Nil);
    }
    Ok(Value::list(v[1..].to_vec()))
}

fn initial(list: &Value) -> R {
    let v = items(list, "find initial")?;
    if v.is_empty() {
        return Ok(Value::Nil);
    }
    Ok(Value::list(v[..v.len() - 1].to_vec()))
}
