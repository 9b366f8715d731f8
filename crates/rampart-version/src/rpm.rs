//! rpm's order (Red Hat, Rocky, Alma, SUSE): `[epoch:]version[-release]`, each compared with
//! `rpmvercmp`. Every string is an rpm version; only the empty one is refused.
//!
//! `rpmvercmp` skips characters other than ASCII letters, digits, `~` and `^`; compares
//! alternating digit runs (by value, and newer than letters) and letter runs (by bytes); `~`
//! sorts before anything, even the end (`1.0~rc1 < 1.0`); `^` after the end but before
//! anything else (`1.0 < 1.0^git1 < 1.0.1`). The epoch is the leading digits before a `:`
//! (absent, it is 0). A version without a release sorts before the same version with one.

use std::cmp::Ordering;

use crate::num::cmp_digits;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rpm {
    epoch: Box<str>,
    version: Box<str>,
    release: Option<Box<str>>,
}

impl Rpm {
    pub(crate) fn parse(text: &str) -> Result<Rpm, &'static str> {
        if text.is_empty() {
            return Err("empty");
        }
        let (epoch, rest) = match text.split_once(':') {
            Some((epoch, rest)) if epoch.bytes().all(|b| b.is_ascii_digit()) => (epoch, rest),
            _ => ("", text),
        };
        let (version, release) = match rest.rsplit_once('-') {
            Some((version, release)) => (version, Some(release.into())),
            None => (rest, None),
        };
        Ok(Rpm {
            epoch: if epoch.is_empty() { "0" } else { epoch }.into(),
            version: version.into(),
            release,
        })
    }
}

impl Ord for Rpm {
    fn cmp(&self, other: &Rpm) -> Ordering {
        rpmvercmp(&self.epoch, &other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                (a, b) => a.is_some().cmp(&b.is_some()),
            })
    }
}

impl PartialOrd for Rpm {
    fn partial_cmp(&self, other: &Rpm) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

pub(crate) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let skipped = |c: &u8| !(c.is_ascii_alphanumeric() || *c == b'~' || *c == b'^');
    loop {
        while a.get(i).is_some_and(skipped) {
            i += 1;
        }
        while b.get(j).is_some_and(skipped) {
            j += 1;
        }
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        if x == Some(b'~') || y == Some(b'~') {
            if x != Some(b'~') {
                return Ordering::Greater;
            }
            if y != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if x == Some(b'^') || y == Some(b'^') {
            if x.is_none() {
                return Ordering::Less;
            }
            if y.is_none() {
                return Ordering::Greater;
            }
            if x != Some(b'^') {
                return Ordering::Greater;
            }
            if y != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(x), Some(_)) = (x, y) else {
            break;
        };
        let numeric = x.is_ascii_digit();
        let run = |s: &[u8], start: usize| {
            let len = s[start..]
                .iter()
                .take_while(|c| {
                    if numeric {
                        c.is_ascii_digit()
                    } else {
                        c.is_ascii_alphabetic()
                    }
                })
                .count();
            start + len
        };
        let (end_a, end_b) = (run(a, i), run(b, j));
        if end_b == j {
            // Segments of different kinds: numbers are newer than letters.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        // Both runs are ASCII.
        let (ra, rb) = (
            std::str::from_utf8(&a[i..end_a]).unwrap_or(""),
            std::str::from_utf8(&b[j..end_b]).unwrap_or(""),
        );
        let order = if numeric {
            cmp_digits(ra, rb)
        } else {
            ra.cmp(rb)
        };
        if order.is_ne() {
            return order;
        }
        i = end_a;
        j = end_b;
    }
    // Whichever still has characters left is the newer.
    (i < a.len()).cmp(&(j < b.len()))
}
