//! Packagist: Composer strips a leading `v` and compares with PHP's `version_compare`, which
//! puts a `.` between digits and other characters, reads `-`, `_` and `+` as `.`, and
//! compares the parts in turn: numbers by value; words by their rank `dev < alpha = a < beta
//! = b < RC = rc < (a number) < pl = p`, any other word below them all. A version that
//! extends another is greater when the extension starts with a number, otherwise the
//! extension is compared against a number.

use std::cmp::Ordering;

use crate::num::{cmp_digits, is_digits};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Composer(Vec<Box<str>>);

/// The rank of a part that is not a number (`#` stands for a number), as a prefix match.
fn rank(part: &str) -> i8 {
    const FORMS: [(&str, i8); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(form, _)| part.starts_with(form))
        .map_or(-6, |(_, rank)| *rank)
}

impl Composer {
    pub(crate) fn parse(text: &str) -> Result<Composer, &'static str> {
        let text = text.trim();
        let text = text
            .strip_prefix(['v', 'V'])
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(text);
        if text.is_empty() {
            return Err("empty");
        }
        let mut canonical = String::with_capacity(text.len() * 2);
        let mut previous: Option<char> = None;
        for c in text.chars() {
            let c = if matches!(c, '-' | '_' | '+') { '.' } else { c };
            if let Some(p) = previous
                && p != '.'
                && c != '.'
                && p.is_ascii_digit() != c.is_ascii_digit()
            {
                canonical.push('.');
            }
            canonical.push(c);
            previous = Some(c);
        }
        Ok(Composer(
            canonical
                .split('.')
                .filter(|p| !p.is_empty())
                .map(Into::into)
                .collect(),
        ))
    }
}

fn cmp_parts(a: &[Box<str>], b: &[Box<str>]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (is_digits(x), is_digits(y)) {
            (true, true) => cmp_digits(x, y),
            (true, false) => rank("#").cmp(&rank(y)),
            (false, true) => rank(x).cmp(&rank("#")),
            (false, false) => rank(x).cmp(&rank(y)),
        };
        if order.is_ne() {
            return order;
        }
    }
    let number: [Box<str>; 1] = ["#".into()];
    match a.len().cmp(&b.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater if is_digits(&a[b.len()]) => Ordering::Greater,
        Ordering::Greater => cmp_parts(&a[b.len()..], &number),
        Ordering::Less if is_digits(&b[a.len()]) => Ordering::Less,
        Ordering::Less => cmp_parts(&number, &b[a.len()..]),
    }
}

impl Ord for Composer {
    fn cmp(&self, other: &Composer) -> Ordering {
        cmp_parts(&self.0, &other.0)
    }
}

impl PartialOrd for Composer {
    fn partial_cmp(&self, other: &Composer) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
