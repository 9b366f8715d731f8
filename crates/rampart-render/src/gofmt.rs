//! Go's `fmt` as templates reach it: `{{ x }}` prints with `%v`, `print`/`println` are
//! `fmt.Sprint`/`Sprintln`, `printf` is `fmt.Sprintf`, and Sprig's `toString` and `quote` go
//! through `%v` and `%q`. Floats print the way `strconv` writes them (`1e+06`, not `1000000`).

use crate::value::Value;

/// `fmt.Sprint(v)`: the `%v` form.
pub fn sprint_value(v: &Value) -> String {
    let mut out = String::new();
    format_value(&mut out, v, 'v', &Spec::default(), 0);
    out
}

/// `fmt.Sprint(args...)`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::Str(_));
        if i > 0 && !is_string && !matches!(args[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        format_value(&mut out, arg, 'v', &Spec::default(), 0);
    }
    out
}

/// `fmt.Sprintln(args...)`: always a space between operands, and a newline at the end.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = args.iter().map(sprint_value).collect::<Vec<_>>().join(" ");
    out.push('\n');
    out
}

#[derive(Default, Clone)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Printing stops descending past this depth (a map that holds itself, through `set`).
const MAX_DEPTH: usize = 100;

/// `fmt.Sprintf(format, args...)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next_arg = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&(_, f)) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = read_count(&mut chars, args, &mut next_arg);
        if chars.peek().is_some_and(|&(_, c)| c == '.') {
            chars.next();
            spec.precision = Some(read_count(&mut chars, args, &mut next_arg).unwrap_or(0));
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next_arg) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next_arg += 1;
        if verb == 'T' {
            pad(&mut out, &arg.type_name(), &spec);
            continue;
        }
        let mut text = String::new();
        format_value(&mut text, arg, verb, &spec, 0);
        out.push_str(&text);
    }
    if next_arg < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next_arg..]
            .iter()
            .map(|a| format!("{}={}", a.type_name(), sprint_value(a)))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn read_count(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    args: &[Value],
    next_arg: &mut usize,
) -> Option<usize> {
    if chars.peek().is_some_and(|&(_, c)| c == '*') {
        chars.next();
        let n = match args.get(*next_arg) {
            Some(Value::Int(n) | Value::Int64(n)) => usize::try_from(*n).ok(),
            _ => None,
        };
        *next_arg += 1;
        return n;
    }
    let mut n: Option<usize> = None;
    while let Some(&(_, c)) = chars.peek() {
        let Some(d) = c.to_digit(10) else { break };
        n = Some(
            n.unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(d as usize)
                .min(1_000_000),
        );
        chars.next();
    }
    n
}

fn pad(out: &mut String, text: &str, spec: &Spec) {
    let len = text.chars().count();
    let width = spec.width.unwrap_or(0);
    if len >= width {
        out.push_str(text);
    } else if spec.minus {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', width - len));
    } else {
        out.extend(std::iter::repeat_n(' ', width - len));
        out.push_str(text);
    }
}

/// Pads a number: zeros go after the sign when the `0` flag is set.
fn pad_number(out: &mut String, text: &str, spec: &Spec) {
    let width = spec.width.unwrap_or(0);
    let len = text.chars().count();
    if spec.zero && !spec.minus && len < width {
        let (sign, digits) = match text.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (Some(c), &text[1..]),
            _ => (None, text),
        };
        if let Some(s) = sign {
            out.push(s);
        }
        out.extend(std::iter::repeat_n('0', width - len));
        out.push_str(digits);
    } else {
        pad(out, text, spec);
    }
}

fn bad_verb(out: &mut String, v: &Value, verb: char) {
    match v {
        Value::Missing | Value::Nil => out.push_str(&format!("%!{verb}(<nil>)")),
        _ => out.push_str(&format!("%!{verb}({}={})", v.type_name(), sprint_value(v))),
    }
}

fn format_value(out: &mut String, v: &Value, verb: char, spec: &Spec, depth: usize) {
    if depth > MAX_DEPTH {
        out.push_str("...");
        return;
    }
    match v {
        Value::Missing | Value::Nil => match verb {
            'v' => pad(out, "<nil>", spec),
            _ => bad_verb(out, v, verb),
        },
        Value::Bool(b) => match verb {
            'v' | 't' => pad(out, if *b { "true" } else { "false" }, spec),
            _ => bad_verb(out, v, verb),
        },
        Value::Int(n) | Value::Int64(n) => format_int(out, v, *n, verb, spec),
        Value::Float(f) => match verb {
            'v' | 'g' | 'G' | 'e' | 'E' | 'f' | 'F' => {
                let text = format_float(*f, verb, spec.precision, spec.sharp);
                let text = signed(text, *f >= 0.0 || f.is_nan(), spec);
                pad_number(out, &text, spec);
            }
            _ => bad_verb(out, v, verb),
        },
        Value::Str(s) => format_str(out, s, verb, spec),
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_value(out, item, verb, spec, depth + 1);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push_str("map[");
            for (i, (k, item)) in m.read().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_str(out, k, verb, spec);
                out.push(':');
                format_value(out, item, verb, spec, depth + 1);
            }
            out.push(']');
        }
        Value::Object(o) => {
            if o.is_stringer() && matches!(verb, 'v' | 's' | 'q') {
                format_str(out, &o.display(), verb, spec)
            } else {
                pad(out, &o.display(), spec)
            }
        }
    }
}

fn signed(text: String, non_negative: bool, spec: &Spec) -> String {
    if non_negative && spec.plus {
        format!("+{text}")
    } else if non_negative && spec.space {
        format!(" {text}")
    } else {
        text
    }
}

fn format_int(out: &mut String, v: &Value, n: i64, verb: char, spec: &Spec) {
    let magnitude = n.unsigned_abs();
    let digits = match verb {
        'v' | 'd' => magnitude.to_string(),
        'b' => format!("{magnitude:b}"),
        'o' | 'O' => format!("{magnitude:o}"),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        'c' => {
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            return pad(out, &c.to_string(), spec);
        }
        'q' => {
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            return pad(out, &quote_rune(c), spec);
        }
        'U' => {
            return pad(out, &format!("U+{magnitude:04X}"), spec);
        }
        _ => return bad_verb(out, v, verb),
    };
    let mut digits = match spec.precision {
        Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
        _ => digits,
    };
    if spec.sharp {
        match verb {
            'x' => digits.insert_str(0, "0x"),
            'X' => digits.insert_str(0, "0X"),
            'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            _ => {}
        }
    }
    if verb == 'O' {
        digits.insert_str(0, "0o");
    }
    let text = if n < 0 {
        format!("-{digits}")
    } else {
        signed(digits, true, spec)
    };
    if spec.precision.is_some() {
        pad(out, &text, spec)
    } else {
        pad_number(out, &text, spec)
    }
}

fn format_str(out: &mut String, s: &str, verb: char, spec: &Spec) {
    let s = match spec.precision {
        Some(p) if matches!(verb, 'v' | 's' | 'q') => {
            let end = s.char_indices().nth(p).map_or(s.len(), |(i, _)| i);
            &s[..end]
        }
        _ => s,
    };
    match verb {
        'v' | 's' => pad(out, s, spec),
        'q' => {
            if spec.sharp && !s.contains('`') && s.chars().all(|c| c == '\t' || !c.is_control()) {
                pad(out, &format!("`{s}`"), spec)
            } else {
                pad(out, &quote(s), spec)
            }
        }
        'x' | 'X' => {
            let mut hex = String::new();
            for b in s.bytes() {
                if verb == 'x' {
                    hex.push_str(&format!("{b:02x}"));
                } else {
                    hex.push_str(&format!("{b:02X}"));
                }
            }
            pad(out, &hex, spec)
        }
        _ => out.push_str(&format!("%!{verb}(string={s})")),
    }
}

/// Whether Go's `unicode.IsPrint` holds (close enough: controls and non-ASCII spaces are not).
fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{AD}'))
}

fn escape_char(out: &mut String, c: char, quote_char: char) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == quote_char => {
            out.push('\\');
            out.push(c);
        }
        c if is_print(c) => out.push(c),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        escape_char(&mut out, c, '"');
    }
    out.push('"');
    out
}

fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    escape_char(&mut out, c, '\'');
    out.push('\'');
    out
}

/// The shortest decimal digits that read back as `f`, and the decimal point's position
/// (`digits` × 10^(`point` − len)), as Go's `strconv` computes them.
fn shortest_digits(f: f64) -> (String, i32) {
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    if digits == "0" {
        return (digits, 1);
    }
    (digits, exp + 1)
}

/// Digits rounded to `n` significant places, and the point's position.
fn rounded_digits(f: f64, n: usize) -> (String, i32) {
    let sci = format!("{:.*e}", n.saturating_sub(1), f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    (digits, exp.parse::<i32>().unwrap_or(0) + 1)
}

fn exponent(exp: i32) -> String {
    let sign = if exp < 0 { '-' } else { '+' };
    format!("e{sign}{:02}", exp.unsigned_abs())
}

/// `%e` layout of digits with the point after the first.
fn layout_e(digits: &str, point: i32, min_frac: usize) -> String {
    let mut out = digits[..1].to_string();
    let mut frac = digits[1..].to_string();
    while frac.len() < min_frac {
        frac.push('0');
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(&frac);
    }
    let exp = if digits.chars().all(|c| c == '0') {
        0
    } else {
        point - 1
    };
    out + &exponent(exp)
}

/// `%f` layout of digits with `frac` places after the point.
fn layout_f(digits: &str, point: i32, frac: usize) -> String {
    let mut int_part = String::new();
    let mut frac_part = String::new();
    if point <= 0 {
        int_part.push('0');
        for _ in 0..(-point) {
            frac_part.push('0');
        }
        frac_part.push_str(digits);
    } else {
        let p = point as usize;
        if digits.len() <= p {
            int_part.push_str(digits);
            int_part.push_str(&"0".repeat(p - digits.len()));
        } else {
            int_part.push_str(&digits[..p]);
            frac_part.push_str(&digits[p..]);
        }
    }
    while frac_part.len() < frac {
        frac_part.push('0');
    }
    frac_part.truncate(frac);
    if frac_part.is_empty() {
        int_part
    } else {
        format!("{int_part}.{frac_part}")
    }
}

/// A float as Go's `fmt` writes it for `verb` (`v` is shortest `%g`).
pub fn format_float(f: f64, verb: char, precision: Option<usize>, sharp: bool) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let body = match verb {
        'e' | 'E' => {
            let p = precision.unwrap_or(6);
            let (digits, point) = rounded_digits(f, p + 1);
            let s = layout_e(&digits, point, p);
            if verb == 'E' { s.to_uppercase() } else { s }
        }
        'f' | 'F' => {
            let p = precision.unwrap_or(6);
            format!("{:.*}", p, f.abs())
        }
        _ => {
            let (digits, point, eprec) = match precision {
                None => {
                    let (d, p) = shortest_digits(f);
                    (d, p, 6)
                }
                Some(p) => {
                    let p = p.max(1);
                    let (d, point) = rounded_digits(f, p);
                    let d = if sharp { d } else { trim_zeros(d) };
                    let eprec = if p > d.len() && d.len() as i32 >= point {
                        d.len()
                    } else {
                        p
                    };
                    (d, point, eprec)
                }
            };
            let exp = point - 1;
            let s = if exp < -4 || exp >= eprec as i32 {
                layout_e(&digits, point, 0)
            } else {
                let frac = (digits.len() as i32 - point).max(0) as usize;
                layout_f(&digits, point, frac)
            };
            if verb == 'G' { s.to_uppercase() } else { s }
        }
    };
    format!("{sign}{body}")
}

fn trim_zeros(d: String) -> String {
    let t = d.trim_end_matches('0');
    if t.is_empty() { "0".into() } else { t.into() }
}

/// `strconv.FormatFloat(f, 'e', -1, 64)`: shortest digits, always an exponent.
pub fn format_float_shortest_e(f: f64) -> String {
    let (digits, point) = shortest_digits(f);
    let sign = if f.is_sign_negative() { "-" } else { "" };
    format!("{sign}{}", layout_e(&digits, point, 0))
}

/// `strconv.FormatFloat(f, 'f', -1, 64)`: shortest digits, never an exponent.
pub fn format_float_plain(f: f64) -> String {
    let (digits, point) = shortest_digits(f);
    let frac = (digits.len() as i32 - point).max(0) as usize;
    let sign = if f.is_sign_negative() && f != 0.0 {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", layout_f(&digits, point, frac))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(f: f64) -> String {
        format_float(f, 'v', None, false)
    }

    #[test]
    fn floats_print_as_go_prints_them() {
        assert_eq!(v(1000000.0), "1e+06");
        assert_eq!(v(100000.0), "100000");
        assert_eq!(v(1234567.0), "1.234567e+06");
        assert_eq!(v(1.5), "1.5");
        assert_eq!(v(0.0001), "0.0001");
        assert_eq!(v(0.00001), "1e-05");
        assert_eq!(v(3.0), "3");
        assert_eq!(v(-2.5), "-2.5");
        assert_eq!(v(0.0), "0");
        assert_eq!(v(1e21), "1e+21");
        assert_eq!(format_float(1.23456, 'f', Some(2), false), "1.23");
        assert_eq!(format_float(1234.5678, 'e', None, false), "1.234568e+03");
        assert_eq!(format_float(1234.5678, 'g', Some(3), false), "1.23e+03");
        assert_eq!(format_float(0.5, 'f', None, false), "0.500000");
    }

    #[test]
    fn printf_matches_go() {
        let s = Value::str;
        assert_eq!(sprintf("%s-%d", &[s("a"), Value::Int(3)]), "a-3");
        assert_eq!(sprintf("%d", &[Value::Float(3.0)]), "%!d(float64=3)");
        assert_eq!(sprintf("%s", &[Value::Nil]), "%!s(<nil>)");
        assert_eq!(sprintf("%v", &[Value::Nil]), "<nil>");
        assert_eq!(
            sprintf(
                "%05d|%-4d|%x",
                &[Value::Int(42), Value::Int(7), Value::Int(255)]
            ),
            "00042|7   |ff"
        );
        assert_eq!(sprintf("%q", &[s("a\"b\n")]), "\"a\\\"b\\n\"");
        assert_eq!(sprintf("%d %d", &[Value::Int(1)]), "1 %!d(MISSING)");
        assert_eq!(
            sprintf("%d", &[Value::Int(1), s("x")]),
            "1%!(EXTRA string=x)"
        );
        assert_eq!(sprintf("%.2f%%", &[Value::Float(12.345)]), "12.35%");
        assert_eq!(
            sprint(&[Value::Int(1), Value::Int(2), s("a"), s("b"), Value::Int(3)]),
            "1 2ab3"
        );
    }
}
