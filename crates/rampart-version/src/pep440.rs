//! PEP 440 (PyPI): the grammar of the specification's appendix, with the normalisations it
//! allows (case, `alpha`/`c`/`preview` spellings, `-`/`_`/`.` separators, implicit numbers, a
//! leading `v`, surrounding white space) and the order of `packaging`'s `Version`.
//! Versions outside the grammar ("legacy" versions that `packaging` accepted before 22.0)
//! are invalid.

use std::cmp::Ordering;

use crate::num::Num;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pep440 {
    epoch: Num,
    /// The release segment without trailing zeros: `1.0` and `1` are one version.
    release: Vec<Num>,
    pre: Option<(PreKind, Num)>,
    post: Option<Num>,
    dev: Option<Num>,
    local: Option<Vec<Local>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PreKind {
    Alpha,
    Beta,
    Rc,
}

/// A local segment: alphanumeric ones sort before numeric ones, numbers by value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Local {
    Text(Box<str>),
    Number(Num),
}

/// Where the pre-release part puts a version among its release's versions.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PreKey<'a> {
    /// A development release of the release itself (`1.0.dev1`) comes before its pre-releases.
    DevOfRelease,
    Pre(PreKind, &'a Num),
    /// No pre-release: after every pre-release.
    Final,
}

impl Pep440 {
    pub(crate) fn parse(text: &str) -> Result<Pep440, &'static str> {
        let lower = text.trim().to_ascii_lowercase();
        let mut p = Cursor {
            s: lower.as_bytes(),
            at: 0,
        };
        if p.s.is_empty() {
            return Err("empty");
        }
        p.eat(b"v");
        let epoch = {
            let save = p.at;
            match p.digits() {
                Some(n) if p.eat(b"!") => n,
                _ => {
                    p.at = save;
                    Num::zero()
                }
            }
        };
        let mut release = vec![p.digits().ok_or("the release must start with a number")?];
        loop {
            let save = p.at;
            if p.eat(b".")
                && let Some(n) = p.digits()
            {
                release.push(n);
                continue;
            }
            p.at = save;
            break;
        }
        while release.last().is_some_and(Num::is_zero) {
            release.pop();
        }

        let pre = p.attempt(|p| {
            p.separator();
            let kind = [
                (&b"alpha"[..], PreKind::Alpha),
                (b"beta", PreKind::Beta),
                (b"preview", PreKind::Rc),
                (b"pre", PreKind::Rc),
                (b"rc", PreKind::Rc),
                (b"a", PreKind::Alpha),
                (b"b", PreKind::Beta),
                (b"c", PreKind::Rc),
            ]
            .into_iter()
            .find_map(|(word, kind)| p.eat(word).then_some(kind))?;
            Some((kind, p.implicit_number()))
        });
        let post = p
            .attempt(|p| {
                p.eat(b"-").then_some(())?;
                p.digits()
            })
            .or_else(|| {
                p.attempt(|p| {
                    p.separator();
                    [&b"post"[..], b"rev", b"r"]
                        .into_iter()
                        .any(|word| p.eat(word))
                        .then_some(())?;
                    Some(p.implicit_number())
                })
            });
        let dev = p.attempt(|p| {
            p.separator();
            p.eat(b"dev").then_some(())?;
            Some(p.implicit_number())
        });
        let local = if p.eat(b"+") {
            let mut segments = Vec::new();
            loop {
                let start = p.at;
                while p.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
                    p.at += 1;
                }
                let segment = &lower[start..p.at];
                if segment.is_empty() {
                    return Err("a local version segment is empty");
                }
                segments.push(if segment.bytes().all(|b| b.is_ascii_digit()) {
                    Local::Number(Num::new(segment))
                } else {
                    Local::Text(segment.into())
                });
                if !p.separator() {
                    break;
                }
            }
            Some(segments)
        } else {
            None
        };
        if p.at != p.s.len() {
            return Err("not in the grammar of PEP 440");
        }
        Ok(Pep440 {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    pub(crate) fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    fn pre_key(&self) -> PreKey<'_> {
        match (&self.pre, &self.post, &self.dev) {
            (Some((kind, n)), _, _) => PreKey::Pre(*kind, n),
            (None, None, Some(_)) => PreKey::DevOfRelease,
            (None, _, _) => PreKey::Final,
        }
    }
}

impl Ord for Pep440 {
    fn cmp(&self, other: &Pep440) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.release.cmp(&other.release))
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            .then_with(|| self.post.cmp(&other.post))
            .then_with(|| match (&self.dev, &other.dev) {
                // No development number sorts after every one.
                (Some(a), Some(b)) => a.cmp(b),
                (a, b) => b.is_some().cmp(&a.is_some()),
            })
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Pep440) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, word: &[u8]) -> bool {
        let found = self.s[self.at..].starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    fn separator(&mut self) -> bool {
        self.eat(b".") || self.eat(b"-") || self.eat(b"_")
    }

    fn digits(&mut self) -> Option<Num> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let digits = std::str::from_utf8(&self.s[start..self.at]).ok()?;
        (!digits.is_empty()).then(|| Num::new(digits))
    }

    /// An optional separator and number after a pre, post or dev word; zero when absent.
    fn implicit_number(&mut self) -> Num {
        self.attempt(|p| {
            p.separator();
            p.digits()
        })
        .unwrap_or_else(Num::zero)
    }

    /// Runs `part`, restoring the position when it does not match.
    fn attempt<T>(&mut self, part: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let save = self.at;
        let found = part(self);
        if found.is_none() {
            self.at = save;
        }
        found
    }
}
