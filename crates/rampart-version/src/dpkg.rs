//! dpkg's version order (Debian, Ubuntu): `[epoch:]upstream[-revision]`, compared epoch
//! first, then upstream and revision with `verrevcmp`: letters before other characters, `~`
//! before everything (even the end), digit runs by value.

use std::cmp::Ordering;

use crate::num::{Num, cmp_digits};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Dpkg {
    epoch: Num,
    upstream: Box<str>,
    revision: Box<str>,
}

impl Dpkg {
    /// The checks of dpkg's `parseversion`.
    pub(crate) fn parse(text: &str) -> Result<Dpkg, &'static str> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty");
        }
        if text.contains(char::is_whitespace) {
            return Err("contains white space");
        }
        let (epoch, rest) = match text.split_once(':') {
            Some((epoch, rest)) => {
                if !crate::num::is_digits(epoch) {
                    return Err("the epoch is not a number");
                }
                (Num::new(epoch), rest)
            }
            None => (Num::zero(), text),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((upstream, revision)) => {
                if revision.is_empty() {
                    return Err("the revision is empty");
                }
                (upstream, revision)
            }
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err("the upstream version is empty");
        }
        if !upstream.starts_with(|c: char| c.is_ascii_digit()) {
            return Err("the upstream version does not start with a digit");
        }
        if !upstream
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+-~:".contains(&b))
        {
            return Err("the upstream version has a character outside letters, digits and .+-~:");
        }
        if !revision
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+~".contains(&b))
        {
            return Err("the revision has a character outside letters, digits and .+~");
        }
        Ok(Dpkg {
            epoch,
            upstream: upstream.into(),
            revision: revision.into(),
        })
    }
}

impl Ord for Dpkg {
    fn cmp(&self, other: &Dpkg) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

impl PartialOrd for Dpkg {
    fn partial_cmp(&self, other: &Dpkg) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The weight of a character in a non-digit run; the end of the string weighs 0.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// Alternating non-digit runs (by [`weight`]) and digit runs (by value).
pub(crate) fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while a.get(i).is_some_and(|c| !c.is_ascii_digit())
            || b.get(j).is_some_and(|c| !c.is_ascii_digit())
        {
            let (x, y) = (weight(a.get(i).copied()), weight(b.get(j).copied()));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
        let start = (i, j);
        while a.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        // Both runs are ASCII digits.
        let x = std::str::from_utf8(&a[start.0.min(a.len())..i]).unwrap_or("");
        let y = std::str::from_utf8(&b[start.1.min(b.len())..j]).unwrap_or("");
        let order = cmp_digits(x, y);
        if order.is_ne() {
            return order;
        }
    }
    Ordering::Equal
}
