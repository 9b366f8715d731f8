//! `toToml`: values as TOML, the way BurntSushi's encoder lays them out (plain keys first,
//! then tables), for the charts that write config files with it.

use crate::value::Value;

fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        crate::gofmt::quote(k)
    }
}

fn scalar(v: &Value) -> Option<String> {
    Some(match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) | Value::Int64(i) => i.to_string(),
        Value::Float(f) => {
            let s = crate::gofmt::format_float_plain(*f);
            if s.contains('.') { s } else { format!("{s}.0") }
        }
        Value::Str(s) => crate::gofmt::quote(s),
        Value::List(l) => {
            let items: Option<Vec<String>> = l.items.iter().map(scalar).collect();
            format!("[{}]", items?.join(", "))
        }
        _ => return None,
    })
}

fn table(out: &mut String, path: &[String], v: &Value, indent: usize) {
    let Value::Map(m) = v else { return };
    let entries = m.read();
    let pad = "  ".repeat(indent);
    for (k, item) in entries.iter() {
        if let Some(s) = scalar(item) {
            out.push_str(&format!("{pad}{} = {s}\n", key(k)));
        }
    }
    for (k, item) in entries.iter() {
        if let Value::Map(_) = item {
            let mut p = path.to_vec();
            p.push(key(k));
            out.push_str(&format!("\n{pad}[{}]\n", p.join(".")));
            table(out, &p, item, indent + 1);
        }
    }
}

pub fn encode(v: &Value) -> String {
    let mut out = String::new();
    table(&mut out, &[], v, 0);
    out
}
