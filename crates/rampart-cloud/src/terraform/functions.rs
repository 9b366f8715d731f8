//! Terraform's built-in functions that configurations commonly use, with Terraform's
//! results (checked against `terraform console` where they are subtle: `format`'s verbs,
//! `cidrsubnet`'s arithmetic, `merge`'s precedence). Functions that read files, the clock or
//! randomness give unknown values, as they are unknown to a static reader; a function rampart
//! does not know is an error naming it, and its value is unknown.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::eval::as_string;
use crate::value::{Unknown, Value, format_number};

/// The largest list `range` builds.
const MAX_RANGE: usize = 100_000;

type Result = std::result::Result<Value, String>;

/// Functions whose arguments may hold unknown parts and still give a (partly) known result.
const STRUCTURAL: &[&str] = &[
    "merge",
    "concat",
    "flatten",
    "length",
    "keys",
    "values",
    "lookup",
    "element",
    "tolist",
    "toset",
    "tomap",
    "jsonencode",
    "coalesce",
    "coalescelist",
    "compact",
    "distinct",
    "one",
    "slice",
    "reverse",
    "zipmap",
    "contains",
];

pub(crate) fn call(name: &str, args: Vec<Value>) -> Result {
    let name = name.strip_prefix("provider::terraform::").unwrap_or(name);
    if !STRUCTURAL.contains(&name) && args.iter().any(Value::has_unknown) {
        return known_function(name).map(|()| Value::unknown());
    }
    match name {
        // Reading files, the clock or randomness: not known before apply (or to a reader
        // without the files, for `file`).
        "file" | "fileexists" | "fileset" | "filebase64" | "templatefile" | "filemd5"
        | "filesha256" | "filesha1" | "timestamp" | "uuid" | "bcrypt" | "plantimestamp"
        | "abspath" | "pathexpand" | "yamldecode" | "yamlencode" | "regex" | "regexall"
        | "timeadd" | "formatdate" | "textencodebase64" | "base64gzip" | "sha1" | "md5"
        | "sha512" | "uuidv5" | "rsadecrypt" | "filebase64sha256" | "filebase64sha512"
        | "filesha512" | "timecmp" | "templatestring" | "ephemeralasnull" | "issensitive" => {
            Ok(Value::unknown())
        }
        "sensitive" | "nonsensitive" => one(args),
        "jsonencode" => jsonencode(args),
        "jsondecode" => {
            let text = string_arg(&args, 0, name)?;
            serde_json::from_str::<serde_json::Value>(&text)
                .map(|json| Value::from_json(&json))
                .map_err(|e| format!("jsondecode: invalid JSON: {e}"))
        }
        "merge" => merge(args),
        "concat" => {
            let mut all = Vec::new();
            for arg in args {
                match arg {
                    Value::List(items) => all.extend(items),
                    Value::Unknown(_) => return Ok(Value::unknown()),
                    Value::Null => {}
                    other => {
                        return Err(format!("concat: expected lists, got {}", other.type_name()));
                    }
                }
            }
            Ok(Value::List(all))
        }
        "flatten" => {
            fn flat(value: Value, into: &mut Vec<Value>) -> bool {
                match value {
                    Value::List(items) => items.into_iter().all(|item| flat(item, into)),
                    Value::Unknown(_) => false,
                    other => {
                        into.push(other);
                        true
                    }
                }
            }
            let mut all = Vec::new();
            if args.into_iter().all(|arg| flat(arg, &mut all)) {
                Ok(Value::List(all))
            } else {
                Ok(Value::unknown())
            }
        }
        "length" => match args.first() {
            Some(Value::List(items)) => Ok(Value::Number(items.len() as f64)),
            Some(Value::Map(entries)) => Ok(Value::Number(entries.len() as f64)),
            Some(Value::String(text)) => Ok(Value::Number(text.chars().count() as f64)),
            Some(Value::Unknown(_)) => Ok(Value::unknown()),
            _ => Err("length: expected a collection or a string".to_owned()),
        },
        "keys" => match args.first() {
            Some(Value::Map(entries)) => Ok(Value::List(
                entries
                    .keys()
                    .map(|key| Value::string(key.clone()))
                    .collect(),
            )),
            Some(Value::Unknown(_)) => Ok(Value::unknown()),
            _ => Err("keys: expected a map".to_owned()),
        },
        "values" => match args.first() {
            Some(Value::Map(entries)) => Ok(Value::List(entries.values().cloned().collect())),
            Some(Value::Unknown(_)) => Ok(Value::unknown()),
            _ => Err("values: expected a map".to_owned()),
        },
        "lookup" => {
            let (map, key) = (args.first(), args.get(1));
            match (map, key) {
                (Some(Value::Unknown(_)), _) | (_, Some(Value::Unknown(_))) => Ok(Value::unknown()),
                (Some(Value::Map(entries)), Some(key)) => {
                    let key = as_string(key).unwrap_or_default();
                    match (entries.get(&key), args.get(2)) {
                        (Some(value), _) => Ok(value.clone()),
                        (None, Some(default)) => Ok(default.clone()),
                        (None, None) => Err(format!("lookup: no key `{key}` and no default")),
                    }
                }
                _ => Err("lookup: expected a map and a key".to_owned()),
            }
        }
        "element" => match (args.first(), args.get(1).and_then(Value::as_f64)) {
            (Some(Value::List(items)), Some(index)) if !items.is_empty() => {
                Ok(items[(index as usize) % items.len()].clone())
            }
            (Some(Value::Unknown(_)), _) | (_, None) => Ok(Value::unknown()),
            _ => Err("element: expected a non-empty list and an index".to_owned()),
        },
        "tolist" | "toset" => match args.into_iter().next() {
            Some(Value::List(items)) if name == "toset" => {
                let mut unique: Vec<Value> = Vec::new();
                for item in items {
                    if !unique.contains(&item) {
                        unique.push(item);
                    }
                }
                // Sets of strings are ordered by Terraform lexically.
                if unique.iter().all(|item| item.as_str().is_some()) {
                    unique.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                }
                Ok(Value::List(unique))
            }
            Some(value @ (Value::List(_) | Value::Unknown(_) | Value::Null)) => Ok(value),
            Some(other) => Err(format!(
                "{name}: expected a list, got {}",
                other.type_name()
            )),
            None => Err(format!("{name}: expected one argument")),
        },
        "tomap" => match args.into_iter().next() {
            Some(value @ (Value::Map(_) | Value::Unknown(_) | Value::Null)) => Ok(value),
            _ => Err("tomap: expected an object".to_owned()),
        },
        "tostring" => match args.first() {
            Some(Value::Null) => Ok(Value::Null),
            Some(value) => as_string(value)
                .map(Value::String)
                .ok_or_else(|| "tostring: expected a primitive value".to_owned()),
            None => Err("tostring: expected one argument".to_owned()),
        },
        "tonumber" => match args.first() {
            Some(Value::Null) => Ok(Value::Null),
            Some(value) => value
                .as_f64()
                .map(Value::Number)
                .ok_or_else(|| format!("tonumber: `{value}` is not a number")),
            None => Err("tonumber: expected one argument".to_owned()),
        },
        "tobool" => match args.first() {
            Some(Value::Null) => Ok(Value::Null),
            Some(value) => value
                .as_bool()
                .map(Value::Bool)
                .ok_or_else(|| format!("tobool: `{value}` is not a bool")),
            None => Err("tobool: expected one argument".to_owned()),
        },
        "coalesce" => {
            for arg in args {
                match arg {
                    Value::Unknown(_) => return Ok(Value::unknown()),
                    Value::Null => {}
                    Value::String(text) if text.is_empty() => {}
                    other => return Ok(other),
                }
            }
            Err("coalesce: no non-null, non-empty argument".to_owned())
        }
        "coalescelist" => {
            for arg in args {
                match arg {
                    Value::Unknown(_) => return Ok(Value::unknown()),
                    Value::List(items) if items.is_empty() => {}
                    other => return Ok(other),
                }
            }
            Ok(Value::List(Vec::new()))
        }
        "compact" => match args.into_iter().next() {
            Some(Value::List(items)) => {
                if items.iter().any(Value::is_unknown) {
                    return Ok(Value::unknown());
                }
                Ok(Value::List(
                    items
                        .into_iter()
                        .filter(|item| !item.is_null() && item.as_str() != Some(""))
                        .collect(),
                ))
            }
            Some(Value::Unknown(_)) => Ok(Value::unknown()),
            _ => Err("compact: expected a list of strings".to_owned()),
        },
        "distinct" => match args.into_iter().next() {
            Some(Value::List(items)) => {
                if items.iter().any(Value::has_unknown) {
                    return Ok(Value::unknown());
                }
                let mut unique = Vec::new();
                for item in items {
                    if !unique.contains(&item) {
                        unique.push(item);
                    }
                }
                Ok(Value::List(unique))
            }
            Some(Value::Unknown(_)) => Ok(Value::unknown()),
            _ => Err("distinct: expected a list".to_owned()),
        },
        "contains" => match (args.first(), args.get(1)) {
            (Some(Value::List(items)), Some(needle)) => {
                if items.contains(needle) {
                    Ok(Value::Bool(true))
                } else if items.iter().any(Value::has_unknown) || needle.has_unknown() {
                    Ok(Value::unknown())
                } else {
                    Ok(Value::Bool(false))
                }
            }
            _ => Ok(Value::unknown()),
        },
        "one" => match args.into_iter().next() {
            Some(Value::List(mut items)) if items.len() <= 1 => {
                Ok(items.pop().unwrap_or(Value::Null))
            }
            Some(Value::Unknown(_)) => Ok(Value::unknown()),
            _ => Err("one: expected a list of at most one element".to_owned()),
        },
        "slice" => match (
            args.first(),
            args.get(1).and_then(Value::as_f64),
            args.get(2).and_then(Value::as_f64),
        ) {
            (Some(Value::List(items)), Some(start), Some(end))
                if start <= end && (end as usize) <= items.len() =>
            {
                Ok(Value::List(items[start as usize..end as usize].to_vec()))
            }
            (Some(Value::Unknown(_)), ..) | (_, None, _) | (_, _, None) => Ok(Value::unknown()),
            _ => Err("slice: indices out of range".to_owned()),
        },
        "reverse" => match args.into_iter().next() {
            Some(Value::List(mut items)) => {
                items.reverse();
                Ok(Value::List(items))
            }
            Some(Value::Unknown(_)) => Ok(Value::unknown()),
            _ => Err("reverse: expected a list".to_owned()),
        },
        "zipmap" => match (args.first(), args.get(1)) {
            (Some(Value::List(keys)), Some(Value::List(values))) if keys.len() == values.len() => {
                let mut map = BTreeMap::new();
                for (key, value) in keys.iter().zip(values) {
                    match as_string(key) {
                        Some(key) => {
                            map.insert(key, value.clone());
                        }
                        None => return Ok(Value::unknown()),
                    }
                }
                Ok(Value::Map(map))
            }
            (Some(Value::Unknown(_)), _) | (_, Some(Value::Unknown(_))) => Ok(Value::unknown()),
            _ => Err("zipmap: expected two lists of the same length".to_owned()),
        },
        "format" => {
            let spec = string_arg(&args, 0, name)?;
            format(&spec, &args[1..]).map(Value::String)
        }
        "formatlist" => {
            let spec = string_arg(&args, 0, name)?;
            let rest = &args[1..];
            let length = rest
                .iter()
                .find_map(|arg| arg.as_list().map(<[Value]>::len));
            let Some(length) = length else {
                return format(&spec, rest).map(|text| Value::List(vec![Value::String(text)]));
            };
            let mut all = Vec::new();
            for index in 0..length {
                let row: Vec<Value> = rest
                    .iter()
                    .map(|arg| match arg {
                        Value::List(items) => items.get(index).cloned().unwrap_or(Value::Null),
                        other => other.clone(),
                    })
                    .collect();
                all.push(Value::String(format(&spec, &row)?));
            }
            Ok(Value::List(all))
        }
        "join" => {
            let separator = string_arg(&args, 0, name)?;
            let mut parts = Vec::new();
            for list in &args[1..] {
                for item in list.items() {
                    parts.push(as_string(item).ok_or_else(|| "join: expected strings".to_owned())?);
                }
            }
            Ok(Value::String(parts.join(&separator)))
        }
        "split" => {
            let separator = string_arg(&args, 0, name)?;
            let text = string_arg(&args, 1, name)?;
            if text.is_empty() {
                return Ok(Value::List(vec![Value::string("")]));
            }
            Ok(Value::List(
                text.split(separator.as_str()).map(Value::from).collect(),
            ))
        }
        "lower" => Ok(Value::String(string_arg(&args, 0, name)?.to_lowercase())),
        "upper" => Ok(Value::String(string_arg(&args, 0, name)?.to_uppercase())),
        "title" => Ok(Value::String(title(&string_arg(&args, 0, name)?))),
        "trimspace" => Ok(Value::String(string_arg(&args, 0, name)?.trim().to_owned())),
        "chomp" => Ok(Value::String(
            string_arg(&args, 0, name)?
                .trim_end_matches(['\n', '\r'])
                .to_owned(),
        )),
        "trimprefix" => {
            let text = string_arg(&args, 0, name)?;
            let prefix = string_arg(&args, 1, name)?;
            Ok(Value::String(
                text.strip_prefix(prefix.as_str())
                    .unwrap_or(&text)
                    .to_owned(),
            ))
        }
        "trimsuffix" => {
            let text = string_arg(&args, 0, name)?;
            let suffix = string_arg(&args, 1, name)?;
            Ok(Value::String(
                text.strip_suffix(suffix.as_str())
                    .unwrap_or(&text)
                    .to_owned(),
            ))
        }
        "trim" => {
            let text = string_arg(&args, 0, name)?;
            let cut: Vec<char> = string_arg(&args, 1, name)?.chars().collect();
            Ok(Value::String(text.trim_matches(&cut[..]).to_owned()))
        }
        "startswith" => Ok(Value::Bool(
            string_arg(&args, 0, name)?.starts_with(&string_arg(&args, 1, name)?),
        )),
        "endswith" => Ok(Value::Bool(
            string_arg(&args, 0, name)?.ends_with(&string_arg(&args, 1, name)?),
        )),
        "strcontains" => Ok(Value::Bool(
            string_arg(&args, 0, name)?.contains(&string_arg(&args, 1, name)?),
        )),
        "replace" => {
            let text = string_arg(&args, 0, name)?;
            let search = string_arg(&args, 1, name)?;
            let replacement = string_arg(&args, 2, name)?;
            if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
                // A regular expression: not evaluated.
                return Ok(Value::unknown());
            }
            Ok(Value::String(text.replace(&search, &replacement)))
        }
        "substr" => {
            let text = string_arg(&args, 0, name)?;
            let offset = number_arg(&args, 1, name)? as i64;
            let length = number_arg(&args, 2, name)? as i64;
            let chars: Vec<char> = text.chars().collect();
            let start = if offset < 0 {
                (chars.len() as i64 + offset).max(0) as usize
            } else {
                (offset as usize).min(chars.len())
            };
            let end = if length < 0 {
                chars.len()
            } else {
                (start + length as usize).min(chars.len())
            };
            Ok(Value::String(chars[start..end].iter().collect()))
        }
        "min" | "max" => {
            let numbers: Vec<f64> = args.iter().filter_map(Value::as_f64).collect();
            if numbers.len() != args.len() || numbers.is_empty() {
                return Err(format!("{name}: expected numbers"));
            }
            let pick = if name == "min" { f64::min } else { f64::max };
            Ok(Value::Number(
                numbers.into_iter().reduce(pick).unwrap_or(0.0),
            ))
        }
        "sum" => {
            let items = args.first().map(Value::items).unwrap_or(&[]);
            let numbers: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
            if numbers.len() != items.len() {
                return Err("sum: expected a list of numbers".to_owned());
            }
            Ok(Value::Number(numbers.iter().sum()))
        }
        "abs" => Ok(Value::Number(number_arg(&args, 0, name)?.abs())),
        "ceil" => Ok(Value::Number(number_arg(&args, 0, name)?.ceil())),
        "floor" => Ok(Value::Number(number_arg(&args, 0, name)?.floor())),
        "signum" => Ok(Value::Number(number_arg(&args, 0, name)?.signum())),
        "pow" => Ok(Value::Number(
            number_arg(&args, 0, name)?.powf(number_arg(&args, 1, name)?),
        )),
        "parseint" => {
            let text = string_arg(&args, 0, name)?;
            let base = number_arg(&args, 1, name)? as u32;
            i64::from_str_radix(&text, base)
                .map(|n| Value::Number(n as f64))
                .map_err(|e| format!("parseint: {e}"))
        }
        "range" => {
            let numbers: Vec<f64> = args.iter().filter_map(Value::as_f64).collect();
            let (start, end, step) = match numbers[..] {
                [end] => (0.0, end, 1.0),
                [start, end] => (start, end, if end >= start { 1.0 } else { -1.0 }),
                [start, end, step] => (start, end, step),
                _ => return Err("range: expected one to three numbers".to_owned()),
            };
            if step == 0.0 {
                return Err("range: the step cannot be zero".to_owned());
            }
            let mut items = Vec::new();
            let mut at = start;
            while (step > 0.0 && at < end) || (step < 0.0 && at > end) {
                if items.len() >= MAX_RANGE {
                    return Err(format!("range: more than {MAX_RANGE} elements"));
                }
                items.push(Value::Number(at));
                at += step;
            }
            Ok(Value::List(items))
        }
        "sort" => {
            let items = args.first().map(Value::items).unwrap_or(&[]);
            let mut texts: Vec<String> = items.iter().filter_map(as_string).collect();
            if texts.len() != items.len() {
                return Err("sort: expected a list of strings".to_owned());
            }
            texts.sort();
            Ok(Value::List(texts.into_iter().map(Value::String).collect()))
        }
        "setunion" => {
            let mut all: Vec<Value> = Vec::new();
            for item in args.iter().flat_map(Value::items) {
                if !all.contains(item) {
                    all.push(item.clone());
                }
            }
            Ok(Value::List(all))
        }
        "setintersection" => {
            let mut sets = args.iter().map(Value::items);
            let first = sets.next().unwrap_or(&[]).to_vec();
            let rest: Vec<&[Value]> = sets.collect();
            Ok(Value::List(
                first
                    .into_iter()
                    .filter(|item| rest.iter().all(|set| set.contains(item)))
                    .collect(),
            ))
        }
        "setsubtract" => {
            let first = args.first().map(Value::items).unwrap_or(&[]);
            let second = args.get(1).map(Value::items).unwrap_or(&[]);
            Ok(Value::List(
                first
                    .iter()
                    .filter(|item| !second.contains(item))
                    .cloned()
                    .collect(),
            ))
        }
        "index" => {
            let items = args.first().map(Value::items).unwrap_or(&[]);
            let needle = args.get(1).cloned().unwrap_or_default();
            items
                .iter()
                .position(|item| *item == needle)
                .map(|at| Value::Number(at as f64))
                .ok_or_else(|| "index: the value is not in the list".to_owned())
        }
        "chunklist" => {
            let items = args.first().map(Value::items).unwrap_or(&[]);
            let size = number_arg(&args, 1, name)? as usize;
            if size == 0 {
                return Ok(Value::List(vec![Value::List(items.to_vec())]));
            }
            Ok(Value::List(
                items
                    .chunks(size)
                    .map(|c| Value::List(c.to_vec()))
                    .collect(),
            ))
        }
        "transpose" => {
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (key, values) in args.first().and_then(Value::as_map).into_iter().flatten() {
                for value in values.items() {
                    if let Some(text) = as_string(value) {
                        out.entry(text)
                            .or_default()
                            .push(Value::string(key.clone()));
                    }
                }
            }
            Ok(Value::Map(
                out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
            ))
        }
        "base64encode" => Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(string_arg(&args, 0, name)?),
        )),
        "base64decode" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(string_arg(&args, 0, name)?)
                .map_err(|e| format!("base64decode: {e}"))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| "base64decode: not UTF-8".to_owned())
        }
        "sha256" => Ok(Value::String(
            Sha256::digest(string_arg(&args, 0, name)?.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        )),
        "urlencode" => Ok(Value::String(
            string_arg(&args, 0, name)?
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect(),
        )),
        "cidrsubnet" => {
            let prefix = string_arg(&args, 0, name)?;
            let newbits = number_arg(&args, 1, name)? as u32;
            let netnum = number_arg(&args, 2, name)? as u128;
            cidrsubnet(&prefix, newbits, netnum).map(Value::String)
        }
        "cidrhost" => {
            let prefix = string_arg(&args, 0, name)?;
            let hostnum = number_arg(&args, 1, name)? as i128;
            cidrhost(&prefix, hostnum).map(Value::String)
        }
        "cidrnetmask" => {
            let (_, length, _) = parse_cidr(&string_arg(&args, 0, name)?)?;
            let mask = if length == 0 {
                0
            } else {
                u32::MAX << (32 - length)
            };
            Ok(Value::String(Ipv4Addr::from(mask).to_string()))
        }
        "cidrsubnets" => {
            let prefix = string_arg(&args, 0, name)?;
            let (address, length, bits) = parse_cidr(&prefix)?;
            let mut next: u128 = address >> (bits - length);
            let mut current_length = length;
            let mut all = Vec::new();
            for newbits in args[1..].iter().filter_map(Value::as_f64) {
                let new_length = length + newbits as u32;
                if new_length > bits {
                    return Err("cidrsubnets: not enough address space".to_owned());
                }
                // Align the next block to the new prefix length.
                if new_length > current_length {
                    next <<= new_length - current_length;
                } else if new_length < current_length {
                    let shift = current_length - new_length;
                    next = (next + (1 << shift) - 1) >> shift;
                }
                current_length = new_length;
                let network = next << (bits - new_length);
                all.push(Value::String(format!(
                    "{}/{new_length}",
                    address_text(network, bits)
                )));
                next += 1;
            }
            Ok(Value::List(all))
        }
        _ => known_function(name).map(|()| Value::unknown()),
    }
}

/// `Ok` for a function Terraform has but rampart does not evaluate, so its value is unknown
/// without a complaint; an error for a name that is no Terraform function.
fn known_function(name: &str) -> std::result::Result<(), String> {
    const OTHER_TERRAFORM_FUNCTIONS: &[&str] = &[
        "file",
        "fileexists",
        "fileset",
        "filebase64",
        "templatefile",
        "timestamp",
        "uuid",
        "regex",
        "regexall",
        "yamldecode",
        "yamlencode",
        "md5",
        "sha1",
        "sha512",
        "bcrypt",
        "can",
        "try",
        "type",
        "alltrue",
        "anytrue",
        "matchkeys",
        "setproduct",
        "strrev",
        "indent",
        "textdecodebase64",
        "base64sha256",
        "base64sha512",
        "csvdecode",
        "log",
        "plantimestamp",
        "abspath",
        "dirname",
        "basename",
        "pathexpand",
        "encode_tfvars",
        "decode_tfvars",
        "encode_expr",
    ];
    if OTHER_TERRAFORM_FUNCTIONS.contains(&name) || STRUCTURAL.contains(&name) {
        return Ok(());
    }
    let evaluated = call_is_implemented(name);
    if evaluated {
        Ok(())
    } else {
        Err(format!("call to unknown function `{name}`"))
    }
}

fn call_is_implemented(name: &str) -> bool {
    const IMPLEMENTED: &[&str] = &[
        "sensitive",
        "nonsensitive",
        "jsondecode",
        "tostring",
        "tonumber",
        "tobool",
        "format",
        "formatlist",
        "join",
        "split",
        "lower",
        "upper",
        "title",
        "trimspace",
        "chomp",
        "trimprefix",
        "trimsuffix",
        "trim",
        "startswith",
        "endswith",
        "strcontains",
        "replace",
        "substr",
        "min",
        "max",
        "sum",
        "abs",
        "ceil",
        "floor",
        "signum",
        "pow",
        "parseint",
        "range",
        "sort",
        "setunion",
        "setintersection",
        "setsubtract",
        "index",
        "chunklist",
        "transpose",
        "base64encode",
        "base64decode",
        "sha256",
        "urlencode",
        "cidrsubnet",
        "cidrhost",
        "cidrnetmask",
        "cidrsubnets",
        "filemd5",
        "filesha256",
        "filesha1",
        "timeadd",
        "formatdate",
        "textencodebase64",
        "base64gzip",
        "uuidv5",
        "rsadecrypt",
        "filebase64sha256",
        "filebase64sha512",
        "filesha512",
        "timecmp",
        "templatestring",
        "ephemeralasnull",
        "issensitive",
    ];
    IMPLEMENTED.contains(&name)
}

fn one(args: Vec<Value>) -> Result {
    args.into_iter()
        .next()
        .ok_or_else(|| "expected one argument".to_owned())
}

fn string_arg(args: &[Value], index: usize, function: &str) -> std::result::Result<String, String> {
    args.get(index)
        .and_then(as_string)
        .ok_or_else(|| format!("{function}: argument {} must be a string", index + 1))
}

fn number_arg(args: &[Value], index: usize, function: &str) -> std::result::Result<f64, String> {
    args.get(index)
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("{function}: argument {} must be a number", index + 1))
}

fn jsonencode(args: Vec<Value>) -> Result {
    let value = one(args)?;
    if value.has_unknown() {
        return Ok(Value::Unknown(Unknown {
            json: Some(Box::new(value)),
        }));
    }
    Ok(Value::String(value.to_json().to_string()))
}

fn merge(args: Vec<Value>) -> Result {
    let mut merged = BTreeMap::new();
    for arg in args {
        match arg {
            Value::Map(entries) => merged.extend(entries),
            Value::Null => {}
            Value::Unknown(_) => return Ok(Value::unknown()),
            other => return Err(format!("merge: expected maps, got {}", other.type_name())),
        }
    }
    Ok(Value::Map(merged))
}

fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Terraform's `format`: `%s`, `%d`, `%f` (with precision), `%t`, `%v`, `%q`, `%x`, `%%`, and
/// explicit argument indexes `%[2]s`.
fn format(spec: &str, args: &[Value]) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "+- #0".contains(f) || f.is_ascii_digit() || f == '.' || f == '[' || f == ']' {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let Some(verb) = chars.next() else {
            return Err("format: the specification ends after `%`".to_owned());
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        if let Some(explicit) = flags
            .strip_prefix('[')
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(index, _)| index.parse::<usize>().ok())
        {
            next = explicit - 1;
            flags = flags
                .split_once(']')
                .map(|(_, rest)| rest.to_owned())
                .unwrap_or_default();
        }
        let arg = args
            .get(next)
            .ok_or_else(|| format!("format: not enough arguments for `%{flags}{verb}`"))?;
        next += 1;
        let precision = flags
            .split_once('.')
            .and_then(|(_, p)| p.parse::<usize>().ok());
        let width = flags
            .split('.')
            .next()
            .map(|w| w.trim_start_matches(['-', '+', '0', ' ', '#']))
            .and_then(|w| w.parse::<usize>().ok());
        let text = match verb {
            's' | 'v' => match arg {
                Value::List(_) | Value::Map(_) if verb == 'v' => arg.to_json().to_string(),
                other => as_string(other).ok_or_else(|| {
                    format!("format: `%{verb}` cannot show a {}", other.type_name())
                })?,
            },
            'q' => serde_json::Value::String(
                as_string(arg).ok_or_else(|| "format: `%q` needs a string".to_owned())?,
            )
            .to_string(),
            'd' => {
                let number = arg
                    .as_f64()
                    .ok_or_else(|| "format: `%d` needs a number".to_owned())?;
                if number.fract() != 0.0 {
                    return Err("format: `%d` needs a whole number".to_owned());
                }
                let text = format_number(number);
                if flags.starts_with('+') && number >= 0.0 {
                    format!("+{text}")
                } else {
                    text
                }
            }
            'f' | 'e' | 'g' => {
                let number = arg
                    .as_f64()
                    .ok_or_else(|| format!("format: `%{verb}` needs a number"))?;
                match (verb, precision) {
                    ('f', p) => format!("{number:.*}", p.unwrap_or(6)),
                    ('g', None) => format_number(number),
                    (_, p) => format!("{number:.*e}", p.unwrap_or(6)),
                }
            }
            't' => arg
                .as_bool()
                .map(|b| b.to_string())
                .ok_or_else(|| "format: `%t` needs a bool".to_owned())?,
            'x' | 'X' | 'o' | 'b' => {
                let number = arg
                    .as_f64()
                    .ok_or_else(|| format!("format: `%{verb}` needs a number"))?
                    as i64;
                match verb {
                    'x' => format!("{number:x}"),
                    'X' => format!("{number:X}"),
                    'o' => format!("{number:o}"),
                    _ => format!("{number:b}"),
                }
            }
            other => return Err(format!("format: unsupported verb `%{other}`")),
        };
        let padded = match width {
            Some(width) if text.chars().count() < width => {
                let pad = width - text.chars().count();
                if flags.starts_with('-') {
                    format!("{text}{}", " ".repeat(pad))
                } else if flags.starts_with('0') && matches!(verb, 'd' | 'f') {
                    format!("{}{text}", "0".repeat(pad))
                } else {
                    format!("{}{text}", " ".repeat(pad))
                }
            }
            _ => text,
        };
        out.push_str(&padded);
    }
    Ok(out)
}

/// An address and prefix length as an integer of `bits` bits (32 or 128).
fn parse_cidr(text: &str) -> std::result::Result<(u128, u32, u32), String> {
    let (address, length) = text
        .split_once('/')
        .ok_or_else(|| format!("invalid CIDR address `{text}`"))?;
    let length: u32 = length
        .parse()
        .map_err(|_| format!("invalid CIDR prefix length in `{text}`"))?;
    let (value, bits) = match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => (u32::from(v4) as u128, 32),
        Ok(IpAddr::V6(v6)) => (u128::from(v6), 128),
        Err(_) => return Err(format!("invalid CIDR address `{text}`")),
    };
    if length > bits {
        return Err(format!("invalid CIDR prefix length in `{text}`"));
    }
    let mask = if length == 0 {
        0
    } else {
        (u128::MAX << (128 - length)) >> (128 - bits)
    };
    Ok((value & mask, length, bits))
}

fn address_text(value: u128, bits: u32) -> String {
    if bits == 32 {
        Ipv4Addr::from(value as u32).to_string()
    } else {
        Ipv6Addr::from(value).to_string()
    }
}

fn cidrsubnet(prefix: &str, newbits: u32, netnum: u128) -> std::result::Result<String, String> {
    let (network, length, bits) = parse_cidr(prefix)?;
    let new_length = length + newbits;
    if new_length > bits {
        return Err(format!(
            "cidrsubnet: {newbits} bits added to `{prefix}` exceed the address length"
        ));
    }
    if newbits < 128 && netnum >= (1u128 << newbits) {
        return Err(format!(
            "cidrsubnet: network number {netnum} does not fit in {newbits} bits"
        ));
    }
    let subnet = network | (netnum << (bits - new_length));
    Ok(format!("{}/{new_length}", address_text(subnet, bits)))
}

fn cidrhost(prefix: &str, hostnum: i128) -> std::result::Result<String, String> {
    let (network, length, bits) = parse_cidr(prefix)?;
    let size: i128 = 1i128 << (bits - length).min(126);
    let host = if hostnum < 0 { size + hostnum } else { hostnum };
    if host < 0 || host >= size {
        return Err(format!(
            "cidrhost: host number {hostnum} is outside `{prefix}`"
        ));
    }
    Ok(address_text(network + host as u128, bits))
}

#[cfg(test)]
mod tests {
    use super::super::eval::tests::{Table, eval_with};
    use super::*;

    fn eval(text: &str) -> Value {
        let mut table = Table::default();
        table.values.insert("var.unknown".into(), Value::unknown());
        let value = eval_with(&mut table, text);
        assert!(table.problems.is_empty(), "{text}: {:?}", table.problems);
        value
    }

    fn text(expr: &str) -> String {
        match eval(expr) {
            Value::String(text) => text,
            other => panic!("{expr}: {other:?}"),
        }
    }

    /// Expected values as `terraform console` (v1.11.4) printed them.
    #[test]
    fn results_match_terraform_console() {
        assert_eq!(text(r#"cidrsubnet("10.0.0.0/16", 8, 2)"#), "10.0.2.0/24");
        assert_eq!(text(r#"cidrsubnet("10.1.2.0/24", 4, 15)"#), "10.1.2.240/28");
        assert_eq!(
            text(r#"cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)"#),
            "fd00:fd12:3456:7800:a200::/72"
        );
        assert_eq!(text(r#"cidrhost("10.12.112.0/20", 16)"#), "10.12.112.16");
        assert_eq!(text(r#"cidrhost("10.12.112.0/20", -2)"#), "10.12.127.254");
        assert_eq!(text(r#"cidrnetmask("172.16.0.0/12")"#), "255.240.0.0");
        assert_eq!(
            eval(r#"cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)"#).to_json(),
            serde_json::json!([
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ])
        );
        assert_eq!(text(r#"format("Hello, %s!", "Ander")"#), "Hello, Ander!");
        assert_eq!(
            text(r#"format("There are %d lights", 4)"#),
            "There are 4 lights"
        );
        assert_eq!(text(r#"format("%.2f", 3.14159)"#), "3.14");
        assert_eq!(text(r#"format("%03d-%-4s|", 7, "ab")"#), "007-ab  |");
        assert_eq!(text(r#"format("%[2]s %[1]s", "a", "b")"#), "b a");
        assert_eq!(
            text(r#"jsonencode({b = [1, "x", true], a = null})"#),
            r#"{"a":null,"b":[1,"x",true]}"#
        );
        assert_eq!(
            eval(r#"merge({a = 1, b = 2}, {b = 3})"#).to_json(),
            serde_json::json!({"a": 1, "b": 3})
        );
        assert_eq!(eval(r#"lookup({a = 1}, "b", 7)"#), Value::Number(7.0));
        assert_eq!(
            eval(r#"concat(["a"], ["b", "c"])"#).to_json(),
            serde_json::json!(["a", "b", "c"])
        );
        assert_eq!(
            eval(r#"flatten([["a"], [], ["b", ["c"]]])"#).to_json(),
            serde_json::json!(["a", "b", "c"])
        );
        assert_eq!(
            eval(r#"toset(["b", "a", "b"])"#).to_json(),
            serde_json::json!(["a", "b"])
        );
        assert_eq!(text(r#"join("-", ["a", "b"], ["c"])"#), "a-b-c");
        assert_eq!(text(r#"substr("hello world", -5, -1)"#), "world");
        assert_eq!(text(r#"title("hello world")"#), "Hello World");
        assert_eq!(eval("element([1, 2, 3], 4)"), Value::Number(2.0));
        assert_eq!(
            eval("range(1, 8, 3)").to_json(),
            serde_json::json!([1, 4, 7])
        );
        assert_eq!(text(r#"base64encode("Hello")"#), "SGVsbG8=");
        assert_eq!(
            text(r#"sha256("hello world")"#),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(
            eval(r#"zipmap(["a", "b"], [1, 2])"#).to_json(),
            serde_json::json!({"a": 1, "b": 2})
        );
        assert_eq!(eval(r#"coalesce("", "b")"#), Value::string("b"));
    }

    #[test]
    fn unknown_arguments_give_unknown_results() {
        assert!(eval(r#"format("%s", var.unknown)"#).is_unknown());
        assert!(eval(r#"merge({a = 1}, var.unknown)"#).is_unknown());
        assert_eq!(eval("length([var.unknown, 1])"), Value::Number(2.0));
        // The string is unknown, its structure is not.
        let Value::Unknown(unknown) =
            eval(r#"jsonencode({Action = "s3:*", Resource = var.unknown})"#)
        else {
            panic!("expected unknown");
        };
        assert_eq!(
            unknown.json.unwrap().to_json(),
            serde_json::json!({"Action": "s3:*", "Resource": {"$unknown": true}})
        );
        assert!(eval(r#"file("policy.json")"#).is_unknown());
    }

    #[test]
    fn errors_name_the_function() {
        let mut table = Table::default();
        eval_with(&mut table, r#"cidrsubnet("10.0.0.0/30", 8, 1)"#);
        eval_with(&mut table, "frobnicate(1)");
        assert_eq!(table.problems.len(), 2, "{:?}", table.problems);
        assert!(table.problems[1].contains("frobnicate"));
    }
}
