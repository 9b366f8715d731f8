//! Maven's order, as the POM reference's "Version Order Specification" defines it.
//!
//! A version splits into tokens at `.`, at `-` and where digits meet letters (which counts as
//! `-`); an empty token is `0`. Trailing null tokens (`0`, `""`, `final`, `ga`, `release`)
//! are trimmed before each `-`. Versions compare token by token, a missing token being the
//! null of the other's separator. Between tokens of one separator, numbers compare by value
//! and after qualifiers; qualifiers rank `alpha < beta < milestone < rc = cr < snapshot <
//! "" = final = ga = release < sp`, then unknown ones in text order. Between separators,
//! `.qualifier < -qualifier < -number < .number`. Every string is a Maven version.

use std::cmp::Ordering;

use crate::num::Num;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Maven(Vec<Token>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    Dot,
    Hyphen,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Number(Num),
    Qualifier(Box<str>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Token {
    sep: Sep,
    value: Value,
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

impl Token {
    fn is_null(&self) -> bool {
        match &self.value {
            Value::Number(n) => n.is_zero(),
            Value::Qualifier(q) => q.is_empty(),
        }
    }

    /// What stands for a missing token opposite `other`.
    fn null_against(other: &Token) -> Token {
        let value = match (other.sep, &other.value) {
            (Sep::Dot, Value::Qualifier(q)) if &**q == "sp" => Value::Qualifier("".into()),
            (Sep::Dot, _) => Value::Number(Num::zero()),
            (Sep::Hyphen, _) => Value::Qualifier("".into()),
        };
        Token {
            sep: other.sep,
            value,
        }
    }

    fn separator_rank(&self) -> u8 {
        match (self.sep, &self.value) {
            (Sep::Dot, Value::Qualifier(_)) => 0,
            (Sep::Hyphen, Value::Qualifier(_)) => 1,
            (Sep::Hyphen, Value::Number(_)) => 2,
            (Sep::Dot, Value::Number(_)) => 3,
        }
    }

    /// `padded` tells whether a side stands for a missing token: its zero is no number.
    fn cmp(&self, other: &Token, padded: (bool, bool)) -> Ordering {
        if self.sep != other.sep {
            return self.separator_rank().cmp(&other.separator_rank());
        }
        match (&self.value, &other.value) {
            (Value::Number(a), Value::Number(b)) => a.cmp(b),
            (Value::Number(_), _) if !padded.0 => Ordering::Greater,
            (_, Value::Number(_)) if !padded.1 => Ordering::Less,
            (a, b) => {
                let text = |v: &Value| match v {
                    Value::Number(_) => "0".to_owned(),
                    Value::Qualifier(q) => q.to_string(),
                };
                let (a, b) = (text(a), text(b));
                let rank = |q: &str| QUALIFIERS.iter().position(|known| *known == q);
                match (rank(&a), rank(&b)) {
                    (None, None) => a.cmp(&b),
                    (a, b) => a
                        .unwrap_or(QUALIFIERS.len())
                        .cmp(&b.unwrap_or(QUALIFIERS.len())),
                }
            }
        }
    }
}

impl Maven {
    pub(crate) fn parse(text: &str) -> Result<Maven, &'static str> {
        if text.is_empty() {
            return Err("empty");
        }
        let lower = text.to_ascii_lowercase();
        let mut tokens = Vec::new();
        let mut sep = Sep::Dot;
        let mut rest = lower.as_str();
        loop {
            let (raw, next) = match rest.find(['.', '-']) {
                Some(at) => (&rest[..at], Some((rest.as_bytes()[at], &rest[at + 1..]))),
                None => (rest, None),
            };
            let pieces = split_digit_runs(raw);
            let count = pieces.len();
            for (k, piece) in pieces.into_iter().enumerate() {
                let followed_by_digits = k + 1 < count;
                let value = if piece.is_empty() {
                    Value::Number(Num::zero())
                } else if crate::num::is_digits(piece) {
                    Value::Number(Num::new(piece))
                } else {
                    Value::Qualifier(
                        match piece {
                            "cr" => "rc",
                            "ga" | "final" | "release" => "",
                            "a" if followed_by_digits => "alpha",
                            "b" if followed_by_digits => "beta",
                            "m" if followed_by_digits => "milestone",
                            other => other,
                        }
                        .into(),
                    )
                };
                tokens.push(Token {
                    sep: if k == 0 { sep } else { Sep::Hyphen },
                    value,
                });
            }
            let Some((separator, after)) = next else {
                break;
            };
            sep = if separator == b'-' {
                Sep::Hyphen
            } else {
                Sep::Dot
            };
            rest = after;
        }
        // Trim null tokens at the end of each hyphen-led list, from the last one back.
        let mut i = tokens.len() - 1;
        while i > 0 {
            if tokens[i].is_null() {
                tokens.remove(i);
                i -= 1;
                continue;
            }
            while tokens[i].sep != Sep::Hyphen {
                if i == 0 {
                    break;
                }
                i -= 1;
            }
            if i == 0 {
                break;
            }
            i -= 1;
        }
        Ok(Maven(tokens))
    }
}

/// `1rc2` -> `1`, `rc`, `2`; an empty piece stays one empty piece.
fn split_digit_runs(raw: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let bytes = raw.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i].is_ascii_digit() != bytes[i - 1].is_ascii_digit() {
            pieces.push(&raw[start..i]);
            start = i;
        }
    }
    pieces.push(&raw[start..]);
    pieces
}

impl Ord for Maven {
    fn cmp(&self, other: &Maven) -> Ordering {
        for i in 0..self.0.len().max(other.0.len()) {
            let (a, b) = match (self.0.get(i), other.0.get(i)) {
                (Some(a), Some(b)) => (a.clone(), b.clone()),
                (Some(a), None) => (a.clone(), Token::null_against(a)),
                (None, Some(b)) => (Token::null_against(b), b.clone()),
                (None, None) => break,
            };
            if a == b {
                continue;
            }
            let padded = (i >= self.0.len(), i >= other.0.len());
            let order = a.cmp(&b, padded);
            if order.is_ne() {
                return order;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for Maven {
    fn partial_cmp(&self, other: &Maven) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
