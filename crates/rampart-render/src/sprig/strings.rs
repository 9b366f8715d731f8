//! Sprig's string functions, regular expressions and paths.

use super::add;
use super::convert::strval;
use crate::gofmt;
use crate::gotmpl::{FuncMap, Ty};
use crate::value::{Elem, Value};

type R = Result<Value, String>;

fn s(a: &Value) -> &str {
    a.as_str().unwrap_or_default()
}

fn int(a: &Value) -> i64 {
    match a {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

fn go_is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (!c.is_ascii() && c.is_whitespace())
}

/// Go's `strings.Title`: the first letter of each word upper-cased.
fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_sep = true;
    for c in text.chars() {
        if prev_sep {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_sep = is_separator(c);
    }
    out
}

fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    go_is_space(c)
}

fn untitle(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_space = true;
    for c in text.chars() {
        if prev_space {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        prev_space = go_is_space(c);
    }
    out
}

fn swapcase(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_uppercase() {
                c.to_lowercase().collect::<Vec<_>>()
            } else if c.is_lowercase() {
                c.to_uppercase().collect()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Words as huandu/xstrings splits them for snake, kebab and camel case.
fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for i in 0..chars.len() {
        let c = chars[i];
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

fn delimited(text: &str, sep: &str) -> String {
    words(text)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(sep)
}

fn camelcase(text: &str) -> String {
    text.split('_')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

fn initials(text: &str) -> String {
    text.split(go_is_space)
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Apache commons `WordUtils.wrap` as goutils ports it.
fn wrap_custom(text: &str, width: i64, sep: &str, long_words: bool) -> String {
    let width = width.max(1) as usize;
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let mut out = String::new();
    let mut offset = 0;
    while len - offset > width {
        if chars[offset] == ' ' {
            offset += 1;
            continue;
        }
        let window_end = (offset + width).min(len - 1);
        let space = chars[offset..=window_end]
            .iter()
            .rposition(|&c| c == ' ')
            .map(|p| p + offset);
        match space {
            Some(sp) if sp >= offset && sp > offset => {
                out.extend(&chars[offset..sp]);
                out.push_str(sep);
                offset = sp + 1;
            }
            _ => {
                if long_words {
                    out.extend(&chars[offset..offset + width]);
                    out.push_str(sep);
                    offset += width;
                } else {
                    match chars[offset + width..].iter().position(|&c| c == ' ') {
                        Some(p) => {
                            let sp = offset + width + p;
                            out.extend(&chars[offset..sp]);
                            out.push_str(sep);
                            offset = sp + 1;
                        }
                        None => {
                            out.extend(&chars[offset..]);
                            offset = len;
                        }
                    }
                }
            }
        }
    }
    out.extend(&chars[offset..]);
    out
}

fn abbreviate(text: &str, offset: usize, width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    if width < 4 || len <= width {
        return text.to_string();
    }
    let mut offset = offset.min(len);
    if len - offset < width - 3 {
        offset = len - (width - 3);
    }
    if offset <= 4 {
        return chars[..width - 3].iter().collect::<String>() + "...";
    }
    if width < 7 {
        return text.to_string();
    }
    if offset + width - 3 < len {
        return format!(
            "...{}",
            abbreviate(&chars[offset..].iter().collect::<String>(), 0, width - 3)
        );
    }
    format!(
        "...{}",
        chars[len - (width - 3)..].iter().collect::<String>()
    )
}

/// A byte range of `text` that Go would take with `text[a:b]`, or Go's panic message.
fn byte_slice(text: &str, a: usize, b: usize) -> R {
    if a > b || b > text.len() {
        return Err(format!(
            "runtime error: slice bounds out of range [{a}:{b}]"
        ));
    }
    Ok(String::from_utf8_lossy(&text.as_bytes()[a..b])
        .into_owned()
        .into())
}

fn regex(pattern: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(pattern).map_err(|e| format!("error parsing regexp: {e}"))
}

/// Go's `regexp.Expand` template syntax (`$1`, `${name}`) is Rust's too.
fn regex_replace(pattern: &str, text: &str, repl: &str, literal: bool) -> R {
    let re = regex(pattern)?;
    Ok(if literal {
        re.replace_all(text, regex::NoExpand(repl))
            .into_owned()
            .into()
    } else {
        re.replace_all(text, repl).into_owned().into()
    })
}

fn strings_value(items: Vec<String>) -> Value {
    Value::strings(items)
}

fn n_limit(n: i64) -> usize {
    if n < 0 { usize::MAX } else { n as usize }
}

/// Go's `path.Clean`.
pub fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn dir(p: &str) -> String {
    let d = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    clean_path(d)
}

fn ext(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return p[i..].to_string();
        }
    }
    String::new()
}

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    add(m, "upper", &[Str], None, |_, a| {
        Ok(s(&a[0]).to_uppercase().into())
    });
    add(m, "lower", &[Str], None, |_, a| {
        Ok(s(&a[0]).to_lowercase().into())
    });
    add(m, "title", &[Str], None, |_, a| Ok(title(s(&a[0])).into()));
    add(m, "untitle", &[Str], None, |_, a| {
        Ok(untitle(s(&a[0])).into())
    });
    add(m, "trim", &[Str], None, |_, a| {
        Ok(s(&a[0]).trim_matches(go_is_space).into())
    });
    add(m, "trimAll", &[Str, Str], None, |_, a| {
        let cut: Vec<char> = s(&a[0]).chars().collect();
        Ok(s(&a[1]).trim_matches(|c| cut.contains(&c)).into())
    });
    add(m, "trimall", &[Str, Str], None, |_, a| {
        let cut: Vec<char> = s(&a[0]).chars().collect();
        Ok(s(&a[1]).trim_matches(|c| cut.contains(&c)).into())
    });
    add(m, "trimSuffix", &[Str, Str], None, |_, a| {
        Ok(s(&a[1]).strip_suffix(s(&a[0])).unwrap_or(s(&a[1])).into())
    });
    add(m, "trimPrefix", &[Str, Str], None, |_, a| {
        Ok(s(&a[1]).strip_prefix(s(&a[0])).unwrap_or(s(&a[1])).into())
    });
    add(m, "nospace", &[Str], None, |_, a| {
        Ok(s(&a[0])
            .chars()
            .filter(|c| !go_is_space(*c))
            .collect::<String>()
            .into())
    });
    add(m, "initials", &[Str], None, |_, a| {
        Ok(initials(s(&a[0])).into())
    });
    add(m, "swapcase", &[Str], None, |_, a| {
        Ok(swapcase(s(&a[0])).into())
    });
    add(m, "snakecase", &[Str], None, |_, a| {
        Ok(delimited(s(&a[0]), "_").into())
    });
    add(m, "kebabcase", &[Str], None, |_, a| {
        Ok(delimited(s(&a[0]), "-").into())
    });
    add(m, "camelcase", &[Str], None, |_, a| {
        Ok(camelcase(s(&a[0])).into())
    });
    add(m, "wrap", &[Int, Str], None, |_, a| {
        Ok(wrap_custom(s(&a[1]), int(&a[0]), "\n", false).into())
    });
    add(m, "wrapWith", &[Int, Str, Str], None, |_, a| {
        Ok(wrap_custom(s(&a[2]), int(&a[0]), s(&a[1]), true).into())
    });
    add(m, "contains", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(s(&a[1]).contains(s(&a[0]))))
    });
    add(m, "hasPrefix", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(s(&a[1]).starts_with(s(&a[0]))))
    });
    add(m, "hasSuffix", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(s(&a[1]).ends_with(s(&a[0]))))
    });
    add(m, "quote", &[], Some(Any), |_, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| gofmt::quote(&strval(v)))
            .collect();
        Ok(parts.join(" ").into())
    });
    add(m, "squote", &[], Some(Any), |_, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| format!("'{}'", strval(v)))
            .collect();
        Ok(parts.join(" ").into())
    });
    add(m, "cat", &[], Some(Any), |_, a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(gofmt::sprint_value)
            .collect();
        Ok(parts.join(" ").into())
    });
    add(m, "indent", &[Int, Str], None, |_, a| {
        let pad = " ".repeat(int(&a[0]).max(0) as usize);
        Ok(format!("{pad}{}", s(&a[1]).replace('\n', &format!("\n{pad}"))).into())
    });
    add(m, "nindent", &[Int, Str], None, |_, a| {
        let pad = " ".repeat(int(&a[0]).max(0) as usize);
        Ok(format!("\n{pad}{}", s(&a[1]).replace('\n', &format!("\n{pad}"))).into())
    });
    add(m, "replace", &[Str, Str, Str], None, |_, a| {
        Ok(go_replace(s(&a[2]), s(&a[0]), s(&a[1])).into())
    });
    add(m, "plural", &[Str, Str, Int], None, |_, a| {
        Ok(if int(&a[2]) == 1 {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    add(m, "repeat", &[Int, Str], None, |_, a| {
        let n = int(&a[0]);
        if n < 0 {
            return Err("strings: negative Repeat count".into());
        }
        if (n as u128) * (s(&a[1]).len() as u128) > crate::gotmpl::MAX_OUTPUT as u128 {
            return Err("strings: Repeat output length overflow".into());
        }
        Ok(s(&a[1]).repeat(n as usize).into())
    });
    add(m, "trunc", &[Int, Str], None, |_, a| {
        let (c, text) = (int(&a[0]), s(&a[1]));
        let len = text.len() as i64;
        if c < 0 && len + c > 0 {
            return byte_slice(text, (len + c) as usize, text.len());
        }
        if c >= 0 && len > c {
            return byte_slice(text, 0, c as usize);
        }
        Ok(a[1].clone())
    });
    add(m, "substr", &[Int, Int, Str], None, |_, a| {
        let (start, end, text) = (int(&a[0]), int(&a[1]), s(&a[2]));
        if start < 0 {
            return byte_slice(text, 0, end.max(0) as usize);
        }
        if end < 0 || end as usize > text.len() {
            return byte_slice(text, start as usize, text.len());
        }
        byte_slice(text, start as usize, end as usize)
    });
    add(m, "abbrev", &[Int, Str], None, |_, a| {
        Ok(abbreviate(s(&a[1]), 0, int(&a[0]).max(0) as usize).into())
    });
    add(m, "abbrevboth", &[Int, Int, Str], None, |_, a| {
        Ok(abbreviate(
            s(&a[2]),
            int(&a[0]).max(0) as usize,
            int(&a[1]).max(0) as usize,
        )
        .into())
    });
    add(m, "split", &[Str, Str], None, |_, a| {
        let parts = go_split(s(&a[1]), s(&a[0]), usize::MAX);
        Ok(Value::typed_map(
            Elem::Str,
            None,
            parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| (format!("_{i}"), Value::from(p)))
                .collect(),
        ))
    });
    add(m, "splitn", &[Str, Int, Str], None, |_, a| {
        let parts = go_split(s(&a[2]), s(&a[0]), n_limit(int(&a[1])));
        Ok(Value::typed_map(
            Elem::Str,
            None,
            parts
                .into_iter()
                .enumerate()
                .map(|(i, p)| (format!("_{i}"), Value::from(p)))
                .collect(),
        ))
    });
    add(m, "splitList", &[Str, Str], None, |_, a| {
        Ok(strings_value(go_split(s(&a[1]), s(&a[0]), usize::MAX)))
    });
    add(m, "join", &[Str, Any], None, |_, a| {
        Ok(strslice(&a[1]).join(s(&a[0])).into())
    });
    add(m, "toStrings", &[Any], None, |_, a| {
        Ok(strings_value(strslice(&a[0])))
    });
    add(m, "sortAlpha", &[Any], None, |_, a| {
        Ok(match &a[0] {
            Value::List(_) => {
                let mut items = strslice(&a[0]);
                items.sort();
                strings_value(items)
            }
            other => strings_value(vec![strval(other)]),
        })
    });

    add(m, "regexMatch", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(
            regex(s(&a[0])).is_ok_and(|r| r.is_match(s(&a[1]))),
        ))
    });
    add(m, "mustRegexMatch", &[Str, Str], None, |_, a| {
        Ok(Value::Bool(regex(s(&a[0]))?.is_match(s(&a[1]))))
    });
    add(m, "regexFind", &[Str, Str], None, |_, a| {
        Ok(regex(s(&a[0]))?
            .find(s(&a[1]))
            .map_or("", |m| m.as_str())
            .into())
    });
    add(m, "mustRegexFind", &[Str, Str], None, |_, a| {
        Ok(regex(s(&a[0]))?
            .find(s(&a[1]))
            .map_or("", |m| m.as_str())
            .into())
    });
    add(m, "regexFindAll", &[Str, Str, Int], None, |_, a| {
        let found = regex(s(&a[0]))?
            .find_iter(s(&a[1]))
            .take(n_limit(int(&a[2])))
            .map(|m| m.as_str().to_string())
            .collect();
        Ok(strings_value(found))
    });
    add(m, "mustRegexFindAll", &[Str, Str, Int], None, |_, a| {
        let found = regex(s(&a[0]))?
            .find_iter(s(&a[1]))
            .take(n_limit(int(&a[2])))
            .map(|m| m.as_str().to_string())
            .collect();
        Ok(strings_value(found))
    });
    add(m, "regexReplaceAll", &[Str, Str, Str], None, |_, a| {
        regex_replace(s(&a[0]), s(&a[1]), s(&a[2]), false)
    });
    add(m, "mustRegexReplaceAll", &[Str, Str, Str], None, |_, a| {
        regex_replace(s(&a[0]), s(&a[1]), s(&a[2]), false)
    });
    add(
        m,
        "regexReplaceAllLiteral",
        &[Str, Str, Str],
        None,
        |_, a| regex_replace(s(&a[0]), s(&a[1]), s(&a[2]), true),
    );
    add(
        m,
        "mustRegexReplaceAllLiteral",
        &[Str, Str, Str],
        None,
        |_, a| regex_replace(s(&a[0]), s(&a[1]), s(&a[2]), true),
    );
    add(m, "regexSplit", &[Str, Str, Int], None, |_, a| {
        let re = regex(s(&a[0]))?;
        Ok(strings_value(
            re.splitn(s(&a[1]), n_limit(int(&a[2])))
                .map(str::to_string)
                .collect(),
        ))
    });
    add(m, "mustRegexSplit", &[Str, Str, Int], None, |_, a| {
        let re = regex(s(&a[0]))?;
        Ok(strings_value(
            re.splitn(s(&a[1]), n_limit(int(&a[2])))
                .map(str::to_string)
                .collect(),
        ))
    });
    add(m, "regexQuoteMeta", &[Str], None, |_, a| {
        Ok(regex::escape(s(&a[0])).into())
    });

    add(m, "base", &[Str], None, |_, a| Ok(base(s(&a[0])).into()));
    add(m, "dir", &[Str], None, |_, a| Ok(dir(s(&a[0])).into()));
    add(m, "clean", &[Str], None, |_, a| {
        Ok(clean_path(s(&a[0])).into())
    });
    add(m, "ext", &[Str], None, |_, a| Ok(ext(s(&a[0])).into()));
    add(m, "isAbs", &[Str], None, |_, a| {
        Ok(Value::Bool(s(&a[0]).starts_with('/')))
    });
    add(m, "osBase", &[Str], None, |_, a| Ok(base(s(&a[0])).into()));
    add(m, "osDir", &[Str], None, |_, a| Ok(dir(s(&a[0])).into()));
    add(m, "osClean", &[Str], None, |_, a| {
        Ok(clean_path(s(&a[0])).into())
    });
    add(m, "osExt", &[Str], None, |_, a| Ok(ext(s(&a[0])).into()));
    add(m, "osIsAbs", &[Str], None, |_, a| {
        Ok(Value::Bool(s(&a[0]).starts_with('/')))
    });
    add(m, "urlParse", &[Str], None, |_, a| url_parse(s(&a[0])));
    add(
        m,
        "urlJoin",
        &[Map],
        None,
        |_, a| Ok(url_join(&a[0]).into()),
    );
    // Helm replaces the DNS lookup with an empty answer unless `--enable-dns` is given.
    add(m, "getHostByName", &[Str], None, |_, _| Ok("".into()));
}

/// Percent-decoding as Go's `url.PathUnescape`/`QueryUnescape` do it for `Path`/`Fragment`.
fn unescape(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .ok_or_else(|| format!("invalid URL escape {:?}", &text[i..]))?;
            out.push(
                u8::from_str_radix(hex, 16)
                    .map_err(|_| format!("invalid URL escape {:?}", &text[i..i + 3]))?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Sprig's `urlParse`: Go's `url.Parse` into a dictionary.
fn url_parse(text: &str) -> R {
    let fail = |e: String| {
        format!(
            "unable to parse url: parse {}: {e}",
            crate::gofmt::quote(text)
        )
    };
    let (rest, fragment) = match text.split_once('#') {
        Some((r, f)) => (r, unescape(f).map_err(fail)?),
        None => (text, String::new()),
    };
    let (mut rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, q.to_string()),
        None => (rest, String::new()),
    };
    let mut scheme = String::new();
    if let Some(i) = rest.find(':')
        && i > 0
        && rest[..i].chars().enumerate().all(|(n, c)| {
            c.is_ascii_alphabetic() || (n > 0 && (c.is_ascii_digit() || "+-.".contains(c)))
        })
    {
        scheme = rest[..i].to_ascii_lowercase();
        rest = &rest[i + 1..];
    }
    let (mut userinfo, mut host, mut opaque) = (String::new(), String::new(), String::new());
    let path;
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        path = unescape(&after[end..]).map_err(fail)?;
        match authority.rsplit_once('@') {
            Some((u, h)) => {
                userinfo = u.to_string();
                host = h.to_string();
            }
            None => host = authority.to_string(),
        }
    } else if !scheme.is_empty() && !rest.starts_with('/') {
        opaque = rest.to_string();
        path = String::new();
    } else {
        path = unescape(rest).map_err(fail)?;
    }
    let hostname = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default().to_string()
    } else {
        host.rsplit_once(':')
            .map_or(host.as_str(), |(h, _)| h)
            .to_string()
    };
    let mut d = crate::value::Entries::new();
    for (k, v) in [
        ("scheme", scheme),
        ("host", host),
        ("hostname", hostname),
        ("path", path),
        ("query", query),
        ("opaque", opaque),
        ("fragment", fragment),
        ("userinfo", userinfo),
    ] {
        d.insert(k.into(), Value::from(v));
    }
    Ok(Value::map(d))
}

/// Sprig's `urlJoin`: Go's `url.URL.String()` of a dictionary's parts.
fn url_join(d: &Value) -> String {
    let get = |k: &str| match d {
        Value::Map(m) => m.get(k).map(|v| strval(&v)).unwrap_or_default(),
        _ => String::new(),
    };
    let mut out = String::new();
    let scheme = get("scheme");
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    let opaque = get("opaque");
    if !opaque.is_empty() {
        out.push_str(&opaque);
    } else {
        let (host, userinfo, path) = (get("host"), get("userinfo"), get("path"));
        if !scheme.is_empty() || !host.is_empty() || !userinfo.is_empty() {
            if !host.is_empty() || !path.is_empty() || !userinfo.is_empty() {
                out.push_str("//");
            }
            if !userinfo.is_empty() {
                out.push_str(&userinfo);
                out.push('@');
            }
            out.push_str(&host);
        }
        if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
            out.push('/');
        }
        out.push_str(&path);
    }
    let query = get("query");
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    let fragment = get("fragment");
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&fragment);
    }
    out
}

/// Go's `strings.Replace(s, old, new, -1)`: an empty `old` matches between every rune.
fn go_replace(text: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::from(new);
        for c in text.chars() {
            out.push(c);
            out.push_str(new);
        }
        return out;
    }
    text.replace(old, new)
}

/// Go's `strings.SplitN`: an empty separator splits into runes.
pub fn go_split(text: &str, sep: &str, n: usize) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = text.chars().map(String::from).collect();
        if chars.len() <= n {
            return chars;
        }
        let mut out: Vec<String> = chars[..n - 1].to_vec();
        out.push(chars[n - 1..].concat());
        return out;
    }
    text.splitn(n, sep).map(str::to_string).collect()
}

/// Sprig's `strslice`: a list's non-nil items as strings.
pub fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l.items.iter().filter(|i| !i.is_nil()).map(strval).collect(),
        Value::Missing | Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}
