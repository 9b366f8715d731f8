//! Values as Helm assembles them: `--values` files merged in order, `--set` and friends in
//! Helm's `strvals` grammar, then coalesced with each chart's `values.yaml` (user values win,
//! a user `null` deletes a default, `global` flows down to subcharts), and subcharts enabled
//! or dropped by their `condition` and `tags`.

use std::sync::Arc;

use super::chart::Chart;
use crate::value::{Elem, Entries, GoMap, Value};

/// A `map[string]interface {}`, as `--set` makes for a key it creates.
fn new_go_map() -> Arc<GoMap> {
    GoMap::new(Elem::Any, None, Entries::new())
}

fn new_map() -> Value {
    Value::Map(new_go_map())
}

fn as_map(v: &Value) -> Option<&Arc<GoMap>> {
    match v {
        Value::Map(m) => Some(m),
        _ => None,
    }
}

/// Helm's `mergeMaps` for `--values` files: later files win, tables merge.
pub fn merge_maps(a: &Value, b: &Value) -> Value {
    let mut out: Entries = as_map(a).map(|m| m.read().clone()).unwrap_or_default();
    if let Some(b) = as_map(b) {
        for (k, v) in b.read().iter() {
            if let (Value::Map(_), Some(existing @ Value::Map(_))) = (v, out.get(k)) {
                let merged = merge_maps(existing, v);
                out.insert(k.clone(), merged);
                continue;
            }
            out.insert(k.clone(), v.clone());
        }
    }
    Value::map(out)
}

// ---------------------------------------------------------------------------------------
// --set

/// How a `--set`-style flag reads its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// `--set`: `true`, `false`, `null` and integers are typed.
    Typed,
    /// `--set-string`: everything is a string.
    String,
    /// `--set-json`: values are JSON.
    Json,
    /// `--set-literal`: one key, the rest of the text its value.
    Literal,
}

const MAX_INDEX: usize = 65536;
const MAX_NESTED_NAME_LEVEL: usize = 30;

struct Scanner {
    chars: Vec<char>,
    pos: usize,
    kind: SetKind,
}

enum Stop {
    Eof,
    At(char),
}

type SetResult<T> = Result<T, String>;

impl Scanner {
    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    /// Characters up to one of `stop` (consumed), with `\` escaping the next one.
    fn until(&mut self, stop: &[char]) -> (String, Stop) {
        let mut v = String::new();
        loop {
            match self.read() {
                None => return (v, Stop::Eof),
                Some(c) if stop.contains(&c) => return (v, Stop::At(c)),
                Some('\\') => match self.read() {
                    Some(n) => v.push(n),
                    None => return (v, Stop::Eof),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn typed(&self, text: &str) -> SetResult<Value> {
        Ok(match self.kind {
            SetKind::String | SetKind::Literal => Value::from(text),
            SetKind::Json => crate::json::decode(text)
                .map_err(|e| format!("failed parsing --set-json data {text}: {e}"))?,
            SetKind::Typed => {
                if text.eq_ignore_ascii_case("true") {
                    Value::Bool(true)
                } else if text.eq_ignore_ascii_case("false") {
                    Value::Bool(false)
                } else if text == "null" {
                    Value::Nil
                } else if text == "0" {
                    Value::Int64(0)
                } else if !text.is_empty()
                    && !text.starts_with('0')
                    && let Ok(i) = text.parse::<i64>()
                {
                    Value::Int64(i)
                } else {
                    Value::from(text)
                }
            }
        })
    }

    /// `{a,b}` as a list; `Ok(None)` when the value is not a list.
    fn val_list(&mut self) -> SetResult<Option<Vec<Value>>> {
        match self.read() {
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Ok(None);
            }
            None => return Err("eof".into()),
        }
        let mut list = Vec::new();
        loop {
            let (text, stop) = self.until(&[',', '}']);
            match stop {
                Stop::Eof => return Err("list must terminate with '}'".into()),
                Stop::At('}') => {
                    if let Some(c) = self.read()
                        && c != ','
                    {
                        self.unread();
                    }
                    list.push(self.typed(&text)?);
                    return Ok(Some(list));
                }
                Stop::At(_) => list.push(self.typed(&text)?),
            }
        }
    }

    /// A value after `=`: a list, or text up to the next `,` (JSON values may hold commas).
    fn value(&mut self) -> SetResult<Value> {
        if self.kind == SetKind::Literal {
            let rest: String = self.chars[self.pos..].iter().collect();
            self.pos = self.chars.len();
            return Ok(Value::from(rest));
        }
        if self.kind == SetKind::Json {
            let rest: String = self.chars[self.pos..].iter().collect();
            let mut de = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
            return match de.next() {
                Some(Ok(v)) => {
                    self.pos += rest[..de.byte_offset()].chars().count();
                    if self.read().is_some_and(|c| c != ',') {
                        self.unread();
                    }
                    Ok(crate::json::from_serde(&v))
                }
                _ => Err(format!("failed parsing --set-json data {rest}")),
            };
        }
        match self.val_list() {
            Ok(Some(list)) => Ok(Value::list(list)),
            Err(e) if e == "eof" => Ok(Value::from("")),
            Err(e) => Err(e),
            Ok(None) => {
                let (text, _) = self.until(&[',']);
                self.typed(&text)
            }
        }
    }

    fn key_index(&mut self) -> SetResult<usize> {
        let (text, _) = self.until(&[']']);
        let i: i64 = text.parse().map_err(|_| {
            format!("error parsing index: strconv.Atoi: parsing {text:?}: invalid syntax")
        })?;
        if i < 0 {
            return Err(format!(
                "error parsing index: negative {i} index not allowed"
            ));
        }
        if i as usize > MAX_INDEX {
            return Err(format!(
                "error parsing index: index of {i} is greater than maximum supported index value of {MAX_INDEX}"
            ));
        }
        Ok(i as usize)
    }

    /// One `key=value` into `data`; `Ok(false)` at the end of the input.
    fn key(&mut self, data: &GoMap, level: usize) -> SetResult<bool> {
        let stop = if self.kind == SetKind::Literal {
            vec!['=', '[', '.']
        } else {
            vec!['=', '[', ',', '.']
        };
        let (k, last) = self.until(&stop);
        match last {
            Stop::Eof => {
                if k.is_empty() {
                    return Ok(false);
                }
                Err(format!("key {k:?} has no value"))
            }
            Stop::At('[') => {
                let i = self.key_index()?;
                let list = match data.get(&k) {
                    Some(Value::List(l)) => l.items.clone(),
                    Some(Value::Nil) | None => Vec::new(),
                    Some(other) => {
                        return Err(format!(
                            "unable to parse key: interface conversion: interface {{}} is {}, not []interface {{}}",
                            other.type_name()
                        ));
                    }
                };
                let list = self.list_item(list, i, level)?;
                if !k.is_empty() {
                    data.write().insert(k, Value::list(list));
                }
                Ok(true)
            }
            Stop::At('=') => {
                let v = self.value()?;
                if !k.is_empty() {
                    data.write().insert(k, v);
                }
                Ok(true)
            }
            Stop::At(',') => {
                if !k.is_empty() {
                    data.write().insert(k.clone(), Value::from(""));
                }
                Err(format!("key {k:?} has no value (cannot end with ,)"))
            }
            Stop::At(_) => {
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    ));
                }
                let inner = match data.get(&k) {
                    Some(Value::Map(m)) => m,
                    Some(Value::Nil) | None => new_go_map(),
                    Some(other) => {
                        return Err(format!(
                            "unable to parse key: interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                            other.type_name()
                        ));
                    }
                };
                let more = self.key(&inner, level)?;
                if !more && inner.read().is_empty() {
                    return Err(format!("key map {k:?} has no value"));
                }
                if !inner.read().is_empty() && !k.is_empty() {
                    data.write().insert(k, Value::Map(inner));
                }
                Ok(more)
            }
        }
    }

    fn list_item(&mut self, mut list: Vec<Value>, i: usize, level: usize) -> SetResult<Vec<Value>> {
        let set_index = |mut list: Vec<Value>, v: Value| {
            if list.len() <= i {
                list.resize(i + 1, Value::Nil);
            }
            list[i] = v;
            list
        };
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return Err(format!("unexpected data at end of array index: {k:?}"));
        }
        match last {
            Stop::Eof => Err("eof".into()),
            Stop::At('=') => {
                let v = self.value()?;
                Ok(set_index(list, v))
            }
            Stop::At('[') => {
                let next = self.key_index()?;
                let inner = match list.get(i) {
                    Some(Value::List(l)) => l.items.clone(),
                    _ => Vec::new(),
                };
                let inner = self.list_item(inner, next, level)?;
                Ok(set_index(list, Value::list(inner)))
            }
            Stop::At(_) => {
                let inner = match list.get(i) {
                    Some(Value::Map(m)) => m.clone(),
                    _ => {
                        let m = new_go_map();
                        if list.len() > i {
                            list[i] = Value::Map(m.clone());
                        }
                        m
                    }
                };
                self.key(&inner, level)?;
                Ok(set_index(list, Value::Map(inner)))
            }
        }
    }
}

/// Parses one `--set`-style argument into `dest` (Helm's `strvals.ParseInto`).
pub fn parse_set(arg: &str, dest: &Value, kind: SetKind) -> Result<(), String> {
    let Some(data) = as_map(dest) else {
        return Err("values are not a map".into());
    };
    let mut s = Scanner {
        chars: arg.chars().collect(),
        pos: 0,
        kind,
    };
    loop {
        match s.key(data, 0) {
            Ok(true) => {
                if kind == SetKind::Literal {
                    return Ok(());
                }
            }
            Ok(false) => return Ok(()),
            Err(e) if e == "eof" => return Ok(()),
            Err(e) => return Err(format!("failed parsing --set data: {e}")),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Coalescing

fn istable(v: &Value) -> bool {
    matches!(v, Value::Map(_))
}

/// Helm's `coalesceTablesFullKey`: `dst` wins; a `nil` in `dst` deletes unless merging.
fn coalesce_tables(dst: &GoMap, src: &GoMap, merge: bool) {
    let src_entries: Vec<(String, Value)> = src
        .read()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in src_entries {
        let dv = dst.get(&key);
        match dv {
            Some(Value::Nil) if !merge => {
                dst.write().remove(&key);
            }
            None => {
                dst.write().insert(key, val);
            }
            Some(Value::Map(dm)) if istable(&val) => {
                if let Value::Map(sm) = &val {
                    coalesce_tables(&dm, sm, merge);
                }
            }
            _ => {}
        }
    }
}

/// Helm's `coalesceValues`: a chart's defaults under the values `v` given for it.
fn coalesce_values(chart: &Chart, v: &GoMap, merge: bool) {
    let defaults = chart.values.deep_copy();
    let Some(vc) = as_map(&defaults) else { return };
    let entries: Vec<(String, Value)> = vc
        .read()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        match v.get(&key) {
            Some(Value::Nil) if !merge => {
                v.write().remove(&key);
            }
            Some(Value::Map(dest)) => {
                if let Value::Map(src) = &val {
                    let merge = merge || chart.dependencies.iter().any(|d| d.name == key);
                    coalesce_tables(&dest, src, merge);
                }
            }
            Some(_) => {}
            None => {
                v.write().insert(key, val);
            }
        }
    }
}

/// Helm's `coalesceGlobals`: the parent's `global` merged into the child's.
fn coalesce_globals(dest: &GoMap, src: &GoMap) {
    let dg = match dest.get("global") {
        None => new_map(),
        Some(g @ Value::Map(_)) => g,
        Some(_) => return,
    };
    let sg = match src.get("global") {
        None => new_map(),
        Some(g @ Value::Map(_)) => g,
        Some(_) => return,
    };
    let (Some(dgm), Some(sgm)) = (as_map(&dg), as_map(&sg)) else {
        return;
    };
    let entries: Vec<(String, Value)> = sgm
        .read()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        if let Value::Map(vm) = &val {
            let vv = Value::map(vm.read().clone());
            match dgm.get(&key) {
                None => {
                    dgm.write().insert(key, vv);
                }
                Some(Value::Map(destv)) => {
                    if let Value::Map(vvm) = &vv {
                        coalesce_tables(vvm, &destv, true);
                    }
                    dgm.write().insert(key, vv);
                }
                Some(_) => {}
            }
        } else if dgm.get(&key).is_some_and(|d| istable(&d)) {
            // A table in the child is not replaced by a scalar.
        } else {
            dgm.write().insert(key, val);
        }
    }
    dest.write().insert("global".into(), dg);
}

/// Helm's `CoalesceValues`: the values each template of `chart` and its subcharts sees.
pub fn coalesce(chart: &Chart, user: &Value) -> Result<Value, String> {
    let copy = user.deep_copy();
    let Value::Map(dest) = &copy else {
        return Err("values are not a map".into());
    };
    coalesce_chart(chart, dest, false)?;
    Ok(copy)
}

fn coalesce_chart(chart: &Chart, dest: &GoMap, merge: bool) -> Result<(), String> {
    coalesce_values(chart, dest, merge);
    for sub in &chart.dependencies {
        let dv = match dest.get(&sub.name) {
            None => {
                let m = new_map();
                dest.write().insert(sub.name.clone(), m.clone());
                m
            }
            Some(v @ Value::Map(_)) => v,
            Some(other) => {
                return Err(format!(
                    "type mismatch on {}: %!t({}={})",
                    sub.name,
                    other.type_name(),
                    crate::gofmt::sprint_value(&other)
                ));
            }
        };
        let Value::Map(dvm) = &dv else { continue };
        coalesce_globals(dvm, dest);
        coalesce_chart(sub, dvm, merge)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Dependencies

/// The `dependencies` of `Chart.yaml`, as far as enabling them goes.
struct Dependency {
    name: String,
    alias: String,
    version: String,
    condition: String,
    tags: Vec<String>,
}

fn dependencies(chart: &Chart) -> Vec<Dependency> {
    let Value::Map(meta) = &chart.metadata else {
        return Vec::new();
    };
    let key = if chart.api_version == "v1" {
        None
    } else {
        meta.get("dependencies")
    };
    let Some(Value::List(list)) = key else {
        return Vec::new();
    };
    let s = |m: &GoMap, k: &str| {
        m.get(k)
            .map(|v| crate::sprig::strval(&v))
            .filter(|s| s != "<nil>")
            .unwrap_or_default()
    };
    list.items
        .iter()
        .filter_map(|d| {
            let Value::Map(m) = d else { return None };
            let tags = match m.get("tags") {
                Some(Value::List(l)) => l.items.iter().map(crate::sprig::strval).collect(),
                _ => Vec::new(),
            };
            Some(Dependency {
                name: s(m, "name"),
                alias: s(m, "alias"),
                version: s(m, "version"),
                condition: s(m, "condition"),
                tags,
            })
        })
        .collect()
}

/// Whether a chart version satisfies a dependency's version range (an empty range does).
fn compatible(range: &str, version: &str) -> bool {
    if range.is_empty() {
        return true;
    }
    crate::sprig::semver_satisfies(range, version).unwrap_or(false)
}

/// Path lookup in values: `a.b.c`.
fn path_value(values: &Value, path: &str) -> Option<Value> {
    let mut cur = values.clone();
    for part in path.split('.') {
        cur = match &cur {
            Value::Map(m) => m.get(part)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Helm's `ProcessDependencies`: subcharts renamed by `alias`, dropped by `condition` or
/// `tags` or a version that does not match, recursively.
pub fn process_dependencies(chart: &mut Chart, user: &Value) -> Result<(), String> {
    process_enabled(chart, user, "")
}

fn process_enabled(chart: &mut Chart, values: &Value, path: &str) -> Result<(), String> {
    let reqs = dependencies(chart);
    if reqs.is_empty() {
        return Ok(());
    }
    let existing = std::mem::take(&mut chart.dependencies);
    let mut kept: Vec<Chart> = Vec::new();
    // Charts in charts/ that no dependency names stay as they are.
    for c in &existing {
        if !reqs
            .iter()
            .any(|r| r.name == c.name && compatible(&r.version, &c.version))
        {
            kept.push(c.clone());
        }
    }
    let mut enabled_names: Vec<(String, bool)> = Vec::new();
    for r in &reqs {
        if let Some(c) = existing
            .iter()
            .find(|c| c.name == r.name && compatible(&r.version, &c.version))
        {
            let mut c = c.clone();
            if !r.alias.is_empty() {
                c.name = r.alias.clone();
                if let Value::Map(m) = &c.metadata {
                    let copy = Value::map(m.read().clone());
                    if let Value::Map(cm) = &copy {
                        cm.write()
                            .insert("name".into(), Value::from(r.alias.as_str()));
                    }
                    c.metadata = copy;
                }
            }
            kept.push(c);
        }
        let name = if r.alias.is_empty() {
            r.name.clone()
        } else {
            r.alias.clone()
        };
        enabled_names.push((name, true));
    }
    chart.dependencies = kept;
    let cvals = coalesce(chart, values)?;
    // Tags first, then conditions, which win.
    let tags = path_value(&cvals, "tags");
    for (i, r) in reqs.iter().enumerate() {
        let (mut has_true, mut has_false) = (false, false);
        if let Some(Value::Map(t)) = &tags {
            for k in &r.tags {
                match t.get(k) {
                    Some(Value::Bool(true)) => has_true = true,
                    Some(Value::Bool(false)) => has_false = true,
                    _ => {}
                }
            }
        }
        if !has_true && has_false {
            enabled_names[i].1 = false;
        }
        for cond in r.condition.split(',') {
            let cond = cond.trim();
            if cond.is_empty() {
                continue;
            }
            if let Some(Value::Bool(b)) = path_value(&cvals, &format!("{path}{cond}")) {
                enabled_names[i].1 = b;
                break;
            }
        }
    }
    let disabled: Vec<&String> = enabled_names
        .iter()
        .filter(|(_, e)| !e)
        .map(|(n, _)| n)
        .collect();
    chart.dependencies.retain(|c| !disabled.contains(&&c.name));
    for sub in &mut chart.dependencies {
        let subpath = format!("{path}{}.", sub.name);
        process_enabled(sub, &cvals, &subpath)?;
    }
    Ok(())
}

/// The values each chart's templates see: `.Values` of the top chart, and a subchart's
/// table under its name.
pub fn subchart_values(parent: &Value, name: &str) -> Value {
    match parent {
        Value::Map(m) => match m.get(name) {
            Some(v @ Value::Map(_)) => v,
            _ => Value::typed_map(Elem::Any, Some("chartutil.Values"), Entries::new()),
        },
        _ => Value::typed_map(Elem::Any, Some("chartutil.Values"), Entries::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(args: &[&str]) -> String {
        let v = new_map();
        for a in args {
            parse_set(a, &v, SetKind::Typed).unwrap();
        }
        crate::json::encode(&v, false, None).unwrap()
    }

    #[test]
    fn strvals_as_helm_parses_them() {
        assert_eq!(
            set(&["a=1,b=true,c=null,d=0x1,e=012"]),
            r#"{"a":1,"b":true,"c":null,"d":"0x1","e":"012"}"#
        );
        assert_eq!(
            set(&["a.b=x", "a.c[1]=y"]),
            r#"{"a":{"b":"x","c":[null,"y"]}}"#
        );
        assert_eq!(
            set(&["list={a,b,c}", r"dots\.in\.key=v"]),
            r#"{"dots.in.key":"v","list":["a","b","c"]}"#
        );
        assert_eq!(
            set(&["a[0].name=x,a[0].port=80"]),
            r#"{"a":[{"name":"x","port":80}]}"#
        );
        assert_eq!(set(&[r"s=a\,b"]), r#"{"s":"a,b"}"#);
        let v = new_map();
        assert!(parse_set("novalue", &v, SetKind::Typed).is_err());
        parse_set("n=1", &v, SetKind::String).unwrap();
        assert_eq!(
            crate::json::encode(&v, false, None).unwrap(),
            r#"{"n":"1"}"#
        );
    }
}
