//! RubyGems' `Gem::Version`: the grammar `N(.X)*(-X(.X)*)?`, `-` read as `.pre.`, segments
//! that are runs of digits or of letters, trailing zeros dropped from the numeric head and
//! from the rest, then segment by segment: numbers by value, letters by bytes, a letter
//! segment (a pre-release) before a number, a missing segment as `0`.

use std::cmp::Ordering;

use crate::num::Num;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Gem(Vec<Segment>);

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    // Text sorts before numbers.
    Text(Box<str>),
    Number(Num),
}

impl Gem {
    pub(crate) fn parse(text: &str) -> Result<Gem, &'static str> {
        let text = text.trim();
        if !valid(text) {
            return Err(
                "not in RubyGems' grammar (digits, then `.`-separated letters or digits, then an optional `-` pre-release)",
            );
        }
        let text = text.replace('-', ".pre.");
        let mut segments = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let digit = bytes[i].is_ascii_digit();
            let start = i;
            while i < bytes.len() && bytes[i] != b'.' && (bytes[i].is_ascii_digit() == digit) {
                i += 1;
            }
            if i > start {
                let run = &text[start..i];
                segments.push(if digit {
                    Segment::Number(Num::new(run))
                } else {
                    Segment::Text(run.into())
                });
            } else {
                i += 1;
            }
        }
        let head = segments
            .iter()
            .position(|s| matches!(s, Segment::Text(_)))
            .unwrap_or(segments.len());
        let mut tail = segments.split_off(head);
        drop_trailing_zeros(&mut segments);
        drop_trailing_zeros(&mut tail);
        segments.append(&mut tail);
        Ok(Gem(segments))
    }
}

fn drop_trailing_zeros(segments: &mut Vec<Segment>) {
    while matches!(segments.last(), Some(Segment::Number(n)) if n.is_zero()) {
        segments.pop();
    }
}

/// `\A\s*([0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z`, on trimmed text.
fn valid(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    let (release, pre) = match text.split_once('-') {
        Some((release, pre)) => (release, Some(pre)),
        None => (text, None),
    };
    let mut parts = release.split('.');
    let first_ok = parts.next().is_some_and(crate::num::is_digits);
    let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    let pre_ok = pre.is_none_or(|pre| {
        pre.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    });
    first_ok && rest_ok && pre_ok
}

impl Ord for Gem {
    fn cmp(&self, other: &Gem) -> Ordering {
        let zero = Segment::Number(Num::zero());
        (0..self.0.len().max(other.0.len()))
            .map(|i| {
                let a = self.0.get(i).unwrap_or(&zero);
                let b = other.0.get(i).unwrap_or(&zero);
                a.cmp(b)
            })
            .find(|order| order.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for Gem {
    fn partial_cmp(&self, other: &Gem) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
