//! Conversions (`toString`, `int`, `int64`, `float64`, `atoi`), arithmetic, type questions,
//! defaults and emptiness, encodings and hashes.

use base64::Engine as _;
use sha2::Digest;

use super::add;
use crate::gofmt;
use crate::gotmpl::{FuncMap, Ty};
use crate::value::{Value, deep_equal};

/// Sprig's `strval`: strings as they are, everything else through `%v`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Object(o) => o.display(),
        other => gofmt::sprint_value(other),
    }
}

/// `cast.ToInt64`: numbers truncated, strings parsed (`0x` and all), anything else 0.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => {
            let s = trim_zero_decimal(s);
            parse_int_base0(s).unwrap_or(0)
        }
        _ => 0,
    }
}

fn trim_zero_decimal(s: &str) -> &str {
    match s.split_once('.') {
        Some((int, frac)) if !int.is_empty() && frac.bytes().all(|b| b == b'0') => int,
        _ => s,
    }
}

fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string())
    } else {
        (10, lower)
    };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    let v = i64::from_str_radix(&digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

/// `cast.ToFloat64`.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Str(s) => s.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn s(a: &Value) -> &str {
    a.as_str().unwrap_or_default()
}

fn int(a: &Value) -> i64 {
    match a {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

/// Sprig's `round`: half away from zero at `places` decimals.
fn round(v: f64, places: i64, half: f64) -> f64 {
    let pow = 10f64.powi(places as i32);
    let digit = pow * v;
    let (int_part, frac) = (digit.trunc(), digit.fract());
    let rounded = if frac.abs() >= half {
        int_part + digit.signum()
    } else {
        int_part
    };
    rounded / pow
}

/// Decimal arithmetic as Sprig does it with shopspring/decimal, closely enough: the float
/// operation, then the shortest decimal that reads back.
fn float_op(args: &[Value], first: f64, op: fn(f64, f64) -> f64) -> f64 {
    args.iter().fold(first, |acc, v| op(acc, to_float64(v)))
}

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    add(m, "toString", &[Any], None, |_, a| Ok(strval(&a[0]).into()));
    add(m, "int64", &[Any], None, |_, a| {
        Ok(Value::Int64(to_int64(&a[0])))
    });
    add(m, "int", &[Any], None, |_, a| {
        Ok(Value::Int(to_int64(&a[0])))
    });
    add(m, "float64", &[Any], None, |_, a| {
        Ok(Value::Float(to_float64(&a[0])))
    });
    add(m, "atoi", &[Str], None, |_, a| {
        Ok(Value::Int(s(&a[0]).parse().unwrap_or(0)))
    });
    add(m, "toDecimal", &[Any], None, |_, a| {
        Ok(Value::Int64(
            i64::from_str_radix(&strval(&a[0]), 8).unwrap_or(0),
        ))
    });
    add(m, "add1", &[Any], None, |_, a| {
        Ok(Value::Int64(to_int64(&a[0]).wrapping_add(1)))
    });
    add(m, "add", &[], Some(Any), |_, a| {
        Ok(Value::Int64(
            a.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v))),
        ))
    });
    add(m, "sub", &[Any, Any], None, |_, a| {
        Ok(Value::Int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
    });
    add(m, "mul", &[Any], Some(Any), |_, a| {
        Ok(Value::Int64(
            a[1..]
                .iter()
                .fold(to_int64(&a[0]), |acc, v| acc.wrapping_mul(to_int64(v))),
        ))
    });
    add(m, "div", &[Any, Any], None, |_, a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::Int64(to_int64(&a[0]).wrapping_div(d)))
    });
    add(m, "mod", &[Any, Any], None, |_, a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err("runtime error: integer divide by zero".into());
        }
        Ok(Value::Int64(to_int64(&a[0]).wrapping_rem(d)))
    });
    add(m, "max", &[Any], Some(Any), |_, a| {
        Ok(Value::Int64(a.iter().map(to_int64).max().unwrap_or(0)))
    });
    add(m, "biggest", &[Any], Some(Any), |_, a| {
        Ok(Value::Int64(a.iter().map(to_int64).max().unwrap_or(0)))
    });
    add(m, "min", &[Any], Some(Any), |_, a| {
        Ok(Value::Int64(a.iter().map(to_int64).min().unwrap_or(0)))
    });
    add(m, "maxf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(
            a.iter().map(to_float64).fold(f64::MIN, f64::max),
        ))
    });
    add(m, "minf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(
            a.iter().map(to_float64).fold(f64::MAX, f64::min),
        ))
    });
    add(m, "add1f", &[Any], None, |_, a| {
        Ok(Value::Float(to_float64(&a[0]) + 1.0))
    });
    add(m, "addf", &[], Some(Any), |_, a| {
        Ok(Value::Float(float_op(&a, 0.0, |x, y| x + y)))
    });
    add(m, "subf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(float_op(
            &a[1..],
            to_float64(&a[0]),
            |x, y| x - y,
        )))
    });
    add(m, "mulf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(float_op(
            &a[1..],
            to_float64(&a[0]),
            |x, y| x * y,
        )))
    });
    add(m, "divf", &[Any], Some(Any), |_, a| {
        Ok(Value::Float(float_op(
            &a[1..],
            to_float64(&a[0]),
            |x, y| x / y,
        )))
    });
    add(m, "ceil", &[Any], None, |_, a| {
        Ok(Value::Float(to_float64(&a[0]).ceil()))
    });
    add(m, "floor", &[Any], None, |_, a| {
        Ok(Value::Float(to_float64(&a[0]).floor()))
    });
    add(m, "round", &[Any, Int], Some(Float), |_, a| {
        let half = a.get(2).map_or(0.5, to_float64);
        Ok(Value::Float(round(to_float64(&a[0]), int(&a[1]), half)))
    });

    add(m, "default", &[Any], Some(Any), |_, a| {
        Ok(match a.get(1) {
            Some(given) if !given.is_empty() => given.clone(),
            _ => a[0].clone(),
        })
    });
    add(m, "empty", &[Any], None, |_, a| {
        Ok(Value::Bool(a[0].is_empty()))
    });
    add(m, "coalesce", &[], Some(Any), |_, a| {
        Ok(a.iter()
            .find(|v| !v.is_empty())
            .cloned()
            .unwrap_or(Value::Nil))
    });
    add(m, "all", &[], Some(Any), |_, a| {
        Ok(Value::Bool(a.iter().all(|v| !v.is_empty())))
    });
    add(m, "any", &[], Some(Any), |_, a| {
        Ok(Value::Bool(a.iter().any(|v| !v.is_empty())))
    });
    add(m, "ternary", &[Any, Any, Bool], None, |_, a| {
        Ok(if matches!(a[2], Value::Bool(true)) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });

    add(m, "typeOf", &[Any], None, |_, a| {
        Ok(a[0].type_name().into())
    });
    add(m, "typeIs", &[Str, Any], None, |_, a| {
        Ok(Value::Bool(s(&a[0]) == a[1].type_name()))
    });
    add(m, "typeIsLike", &[Str, Any], None, |_, a| {
        let t = a[1].type_name();
        Ok(Value::Bool(s(&a[0]) == t || format!("*{}", s(&a[0])) == t))
    });
    add(m, "kindOf", &[Any], None, |_, a| {
        Ok(a[0].kind_name().into())
    });
    add(m, "kindIs", &[Str, Any], None, |_, a| {
        Ok(Value::Bool(s(&a[0]) == a[1].kind_name()))
    });
    add(m, "deepEqual", &[Any, Any], None, |_, a| {
        Ok(Value::Bool(deep_equal(&a[0], &a[1])))
    });

    add(m, "b64enc", &[Str], None, |_, a| {
        Ok(base64::engine::general_purpose::STANDARD
            .encode(s(&a[0]))
            .into())
    });
    add(m, "b64dec", &[Str], None, |_, a| {
        Ok(
            match base64::engine::general_purpose::STANDARD.decode(s(&a[0])) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned().into(),
                Err(e) => go_base64_error(&e).into(),
            },
        )
    });
    add(m, "b32enc", &[Str], None, |_, a| {
        Ok(base32_encode(s(&a[0]).as_bytes()).into())
    });
    add(m, "sha256sum", &[Str], None, |_, a| {
        Ok(hex(&sha2::Sha256::digest(s(&a[0]).as_bytes())).into())
    });
    add(m, "sha1sum", &[Str], None, |_, a| {
        Ok(hex(&sha1(s(&a[0]).as_bytes())).into())
    });
    add(m, "adler32sum", &[Str], None, |_, a| {
        Ok(adler32(s(&a[0]).as_bytes()).to_string().into())
    });

    add(m, "toJson", &[Any], None, |_, a| {
        Ok(crate::json::encode(&a[0], true, None)
            .unwrap_or_default()
            .into())
    });
    add(m, "mustToJson", &[Any], None, |_, a| {
        crate::json::encode(&a[0], true, None).map(Value::from)
    });
    add(m, "toPrettyJson", &[Any], None, |_, a| {
        Ok(crate::json::encode(&a[0], true, Some("  "))
            .unwrap_or_default()
            .into())
    });
    add(m, "mustToPrettyJson", &[Any], None, |_, a| {
        crate::json::encode(&a[0], true, Some("  ")).map(Value::from)
    });
    add(m, "toRawJson", &[Any], None, |_, a| {
        Ok(crate::json::encode(&a[0], false, None)
            .unwrap_or_default()
            .into())
    });
    add(m, "mustToRawJson", &[Any], None, |_, a| {
        crate::json::encode(&a[0], false, None).map(Value::from)
    });
    add(m, "mustFromJson", &[Str], None, |_, a| {
        crate::json::decode(s(&a[0]))
    });
}

fn go_base64_error(e: &base64::DecodeError) -> String {
    let offset = match e {
        base64::DecodeError::InvalidByte(o, _) | base64::DecodeError::InvalidLastSymbol(o, _) => *o,
        base64::DecodeError::InvalidLength(o) => *o,
        base64::DecodeError::InvalidPadding => 0,
    };
    format!("illegal base64 data at input byte {offset}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &d in data {
        a = (a + u32::from(d)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn base32_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SHA-1 (FIPS 180-4), for `sha1sum`.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}
