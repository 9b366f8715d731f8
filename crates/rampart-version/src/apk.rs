//! apk-tools' version order (Alpine, Wolfi, Chainguard), on the grammar `apk` validates:
//! `N(.N)*[a-z]?(_suffix[N])*(~hash)?(-rN)?`, and a number after the letter as old packages
//! have it.
//!
//! Numbers compare by value, except that after the first, one with a leading zero compares
//! as text (`1.05 < 1.1`); a version with more numbers is the greater. A letter comes after
//! none. Suffixes `alpha < beta < pre < rc` come before their release, `cvs < svn < git < hg
//! < p` after it. The revision comes last; none is `-r0`.

use std::cmp::Ordering;

use crate::num::{Num, cmp_digits, is_digits};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Apk {
    numbers: Vec<Box<str>>,
    /// A letter, and the number some old Alpine packages put after it (`6.6.2p1`, which
    /// `apk` orders though its validation refuses it).
    letter: Option<(u8, Option<Num>)>,
    suffixes: Vec<(i8, Num)>,
    revision: Num,
}

/// Suffixes in order; the release itself (no suffix) sits between `rc` and `cvs`.
const SUFFIXES: [(&str, i8); 9] = [
    ("alpha", -4),
    ("beta", -3),
    ("pre", -2),
    ("rc", -1),
    ("cvs", 1),
    ("svn", 2),
    ("git", 3),
    ("hg", 4),
    ("p", 5),
];

impl Apk {
    pub(crate) fn parse(text: &str) -> Result<Apk, &'static str> {
        let (rest, revision) = match text.rsplit_once("-r") {
            Some((rest, revision)) => {
                if !is_digits(revision) {
                    return Err("the revision after `-r` is not a number");
                }
                (rest, Num::new(revision))
            }
            None => (text, Num::zero()),
        };
        // A commit hash (`~abc123`) names a build; it does not order versions.
        let rest = match rest.split_once('~') {
            Some((rest, hash)) => {
                if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err("the commit hash after `~` is not hexadecimal");
                }
                rest
            }
            None => rest,
        };
        let mut parts = rest.split('_');
        let head = parts.next().unwrap_or_default();
        let digits_end = head
            .bytes()
            .position(|b| !(b.is_ascii_digit() || b == b'.'))
            .unwrap_or(head.len());
        let (dotted, letter) = head.split_at(digits_end);
        let numbers = dotted
            .split('.')
            .map(|n| is_digits(n).then(|| n.into()))
            .collect::<Option<Vec<Box<str>>>>()
            .ok_or("must start with numbers separated by single dots")?;
        let letter = match letter.as_bytes() {
            [] => None,
            [c] if c.is_ascii_lowercase() => Some((*c, None)),
            [c, number @ ..] if c.is_ascii_lowercase() && number.iter().all(u8::is_ascii_digit) => {
                Some((*c, Some(Num::new(&letter[1..]))))
            }
            _ => return Err("only one lower-case letter (and a number) may follow the numbers"),
        };
        let suffixes = parts
            .map(|suffix| {
                let split = suffix
                    .bytes()
                    .position(|b| b.is_ascii_digit())
                    .unwrap_or(suffix.len());
                let (word, number) = suffix.split_at(split);
                let (_, rank) = SUFFIXES
                    .iter()
                    .find(|(known, _)| *known == word)
                    .ok_or("unknown suffix (alpha, beta, pre, rc, cvs, svn, git, hg, p)")?;
                if !number.is_empty() && !is_digits(number) {
                    return Err("a suffix's number has other characters");
                }
                Ok((*rank, Num::new(number)))
            })
            .collect::<Result<_, _>>()?;
        Ok(Apk {
            numbers,
            letter,
            suffixes,
            revision,
        })
    }
}

impl Ord for Apk {
    fn cmp(&self, other: &Apk) -> Ordering {
        let numbers = self
            .numbers
            .iter()
            .zip(&other.numbers)
            .enumerate()
            .map(|(i, (a, b))| {
                if i > 0 && (a.starts_with('0') || b.starts_with('0')) {
                    a.cmp(b)
                } else {
                    cmp_digits(a, b)
                }
            })
            .find(|order| order.is_ne())
            .unwrap_or_else(|| self.numbers.len().cmp(&other.numbers.len()));
        let no_suffix = (0, Num::zero());
        let suffixes = (0..self.suffixes.len().max(other.suffixes.len()))
            .map(|i| {
                let a = self.suffixes.get(i).unwrap_or(&no_suffix);
                let b = other.suffixes.get(i).unwrap_or(&no_suffix);
                a.cmp(b)
            })
            .find(|order| order.is_ne())
            .unwrap_or(Ordering::Equal);
        numbers
            .then_with(|| self.letter.cmp(&other.letter))
            .then(suffixes)
            .then_with(|| self.revision.cmp(&other.revision))
    }
}

impl PartialOrd for Apk {
    fn partial_cmp(&self, other: &Apk) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
