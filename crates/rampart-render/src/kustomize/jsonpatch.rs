//! JSON patches (RFC 6902) as Kustomize applies them: `add`, `remove`, `replace`, `move`,
//! `copy` and `test` on the object, paths as JSON pointers (RFC 6901).

use serde_json::Value;

use super::resource::Resource;

#[derive(Debug, Clone)]
pub struct Op {
    op: String,
    path: String,
    from: String,
    value: Option<Value>,
}

/// The operations of a patch written in YAML or JSON.
pub fn parse(text: &str) -> Result<Vec<Op>, String> {
    let docs =
        super::yaml::documents(text).map_err(|e| format!("line {}: {}", e.line, e.message))?;
    let Some(Value::Array(items)) = docs.into_iter().next().map(|d| d.value) else {
        return Err("a JSON patch must be a list of operations".into());
    };
    items
        .into_iter()
        .map(|item| {
            let Value::Object(m) = item else {
                return Err("a JSON patch operation must be a mapping".to_string());
            };
            let field = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let op = field("op");
            if !matches!(
                op.as_str(),
                "add" | "remove" | "replace" | "move" | "copy" | "test"
            ) {
                return Err(format!("Unexpected kind: {op}"));
            }
            Ok(Op {
                op,
                path: field("path"),
                from: field("from"),
                value: m.get("value").cloned(),
            })
        })
        .collect()
}

/// Applies the operations in order; the resource is unchanged when one fails.
pub fn apply(r: &mut Resource, ops: &[Op]) -> Result<(), String> {
    let mut doc = Value::Object(r.object.clone());
    for op in ops {
        step(&mut doc, op)
            .map_err(|e| format!("unable to apply patch to {}: {e}", r.current_id().display()))?;
    }
    match doc {
        Value::Object(object) => {
            r.object = object;
            Ok(())
        }
        _ => Err("a JSON patch replaced the whole object with a non-object".into()),
    }
}

fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let rest = pointer
        .strip_prefix('/')
        .ok_or_else(|| format!("invalid JSON pointer '{pointer}'"))?;
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn index(token: &str, len: usize, allow_end: bool) -> Result<usize, String> {
    if allow_end && token == "-" {
        return Ok(len);
    }
    let i: usize = token
        .parse()
        .map_err(|_| format!("invalid array index '{token}'"))?;
    if i > len || (!allow_end && i == len) {
        return Err(format!("array index {i} out of bounds"));
    }
    Ok(i)
}

fn parent<'a>(doc: &'a mut Value, path: &[String]) -> Result<&'a mut Value, String> {
    let mut cur = doc;
    for t in path {
        cur = match cur {
            Value::Object(m) => m
                .get_mut(t)
                .ok_or_else(|| format!("doc is missing path: {t}"))?,
            Value::Array(a) => {
                let i = index(t, a.len(), false)?;
                &mut a[i]
            }
            _ => return Err(format!("doc is missing path: {t}")),
        };
    }
    Ok(cur)
}

fn get(doc: &Value, pointer: &str) -> Result<Value, String> {
    doc.pointer(pointer)
        .cloned()
        .ok_or_else(|| format!("doc is missing path: {pointer}"))
}

fn add(doc: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    let path = tokens(pointer)?;
    let Some((last, up)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    match parent(doc, up)? {
        Value::Object(m) => {
            m.insert(last.clone(), value);
        }
        Value::Array(a) => {
            let i = index(last, a.len(), true)?;
            a.insert(i, value);
        }
        _ => {
            return Err(format!(
                "add operation does not apply: doc is missing path: {pointer}"
            ));
        }
    }
    Ok(())
}

fn remove(doc: &mut Value, pointer: &str) -> Result<Value, String> {
    let path = tokens(pointer)?;
    let (last, up) = path
        .split_last()
        .ok_or_else(|| "cannot remove the whole document".to_string())?;
    let missing = || format!("remove operation does not apply: doc is missing path: \"{pointer}\"");
    match parent(doc, up).map_err(|_| missing())? {
        Value::Object(m) => m.remove(last).ok_or_else(missing),
        Value::Array(a) => {
            let i = index(last, a.len(), false).map_err(|_| missing())?;
            Ok(a.remove(i))
        }
        _ => Err(missing()),
    }
}

fn step(doc: &mut Value, op: &Op) -> Result<(), String> {
    let value = || {
        op.value
            .clone()
            .ok_or_else(|| format!("{} operation has no value", op.op))
    };
    match op.op.as_str() {
        "add" => add(doc, &op.path, value()?),
        "remove" => remove(doc, &op.path).map(|_| ()),
        "replace" => {
            let v = value()?;
            let slot = doc.pointer_mut(&op.path).ok_or_else(|| {
                format!(
                    "replace operation does not apply: doc is missing key: {}",
                    op.path
                )
            })?;
            *slot = v;
            Ok(())
        }
        "move" => {
            let v = remove(doc, &op.from)?;
            add(doc, &op.path, v)
        }
        "copy" => {
            let v = get(doc, &op.from)?;
            add(doc, &op.path, v)
        }
        "test" => {
            if get(doc, &op.path)? == value()? {
                Ok(())
            } else {
                Err(format!("testing value {} failed", op.path))
            }
        }
        other => Err(format!("Unexpected kind: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_apply_in_order() {
        let mut r = Resource::new(
            serde_json::from_value(json!({"kind": "X", "metadata": {"name": "a"},
                "spec": {"list": [1, 2], "k": "v"}}))
            .unwrap(),
            String::new(),
            1,
        );
        let ops = parse(
            "- {op: add, path: /spec/list/-, value: 3}\n\
             - {op: replace, path: /spec/k, value: w}\n\
             - {op: move, from: /spec/k, path: /spec/m}\n\
             - {op: remove, path: /spec/list/0}\n",
        )
        .unwrap();
        apply(&mut r, &ops).unwrap();
        assert_eq!(r.object["spec"], json!({"list": [2, 3], "m": "w"}));
        let bad = parse("- {op: replace, path: /spec/none, value: 1}").unwrap();
        assert!(apply(&mut r, &bad).unwrap_err().contains("missing"));
    }
}
