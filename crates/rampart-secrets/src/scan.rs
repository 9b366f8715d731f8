//! The detector: a keyword prefilter (one Aho-Corasick automaton over every detection's
//! keywords) finds the lines worth a closer look; only there do the detections' regular
//! expressions and parsers run.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use crate::formats::{FORMATS, Format, derived_keywords};
use crate::names::{NameStrength, is_placeholder, looks_random, name_strength, noun_for};
use crate::{Class, Secret, checks, keys, redact};

/// How a text writes values, which decides what counts as a literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Configuration (`.env`, YAML, INI, properties): `KEY=value` and `key: value` at the
    /// start of a line are literals, quoted or not.
    Config,
    /// Source code: only quoted strings are literals (`password = get_password()` is not).
    Code,
}

/// The detections besides the formats, each found by its own keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    PemKey,
    PuttyKey,
    Base64PemKey,
    UrlPassword,
    AuthorizationHeader,
    Named,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detection {
    Format(usize),
    Special(Special),
}

const SPECIAL_KEYWORDS: &[(Special, &[&str])] = &[
    (Special::PemKey, &["-----begin "]),
    (Special::PuttyKey, &["putty-user-key-file-"]),
    // base64 of "-----BEGIN".
    (Special::Base64PemKey, &["ls0tls1crudjti"]),
    (Special::UrlPassword, &["://"]),
    (Special::AuthorizationHeader, &["authorization"]),
    (
        Special::Named,
        &[
            "pass",
            "pwd",
            "secret",
            "token",
            "key",
            "auth",
            "credential",
        ],
    ),
];

pub(crate) struct Detector {
    prefilter: AhoCorasick,
    /// The detections each keyword of the prefilter stands for.
    by_keyword: Vec<Vec<Detection>>,
    formats: Vec<Regex>,
    url: Regex,
    authorization: Regex,
    assignment: Regex,
}

pub(crate) static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::new);

impl Detector {
    fn new() -> Detector {
        let mut keywords: Vec<String> = Vec::new();
        let mut by_keyword: Vec<Vec<Detection>> = Vec::new();
        let mut add = |keyword: &str, detection: Detection| match keywords
            .iter()
            .position(|k| k == keyword)
        {
            Some(at) => by_keyword[at].push(detection),
            None => {
                keywords.push(keyword.to_owned());
                by_keyword.push(vec![detection]);
            }
        };
        for (index, format) in FORMATS.iter().enumerate() {
            for keyword in format.keywords {
                add(keyword, Detection::Format(index));
            }
            for keyword in derived_keywords(format) {
                add(&keyword, Detection::Format(index));
            }
        }
        for (special, words) in SPECIAL_KEYWORDS {
            for keyword in *words {
                add(keyword, Detection::Special(*special));
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keywords)
            .expect("the keywords make an automaton");
        let compile = |pattern: &str| Regex::new(pattern).expect("detections' patterns compile");
        Detector {
            prefilter,
            by_keyword,
            formats: FORMATS.iter().map(|f| compile(f.pattern)).collect(),
            url: compile(
                r#"(?i)(?P<scheme>[a-z][a-z0-9+.-]{1,20})://(?P<user>[^\s:@/'"<>`]{1,100}):(?P<s>[^\s@/'"<>`]{1,200})@(?P<host>[^\s/'"<>`?#@]{1,255})"#,
            ),
            authorization: compile(
                r#"(?i)authorization["']?\s*[:=]\s*["']?(?:basic|bearer|token)\s+(?P<s>[A-Za-z0-9._~+/=-]{16,})"#,
            ),
            assignment: compile(
                r#"(?P<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?\]?\s*(?P<op>:=|=>|=|:)\s*(?P<value>"[^"\n]{1,500}"|'[^'\n]{1,500}'|[^\s"'`,;#)}\]]{1,500})"#,
            ),
        }
    }

    /// Every secret in `text`, in order, without overlaps.
    pub(crate) fn scan(&self, text: &str, syntax: Syntax) -> Vec<Secret> {
        let mut triggered: Vec<(Detection, usize)> = Vec::new();
        for found in self.prefilter.find_overlapping_iter(text) {
            for detection in &self.by_keyword[found.pattern().as_usize()] {
                triggered.push((*detection, found.start()));
            }
        }
        if triggered.is_empty() {
            return Vec::new();
        }
        // Each detection looks at each line once, however many of its keywords it holds.
        triggered.sort_by_key(|(detection, at)| (detection_order(*detection), *at));
        let mut candidates = Vec::new();
        let mut last: Option<(Detection, usize)> = None;
        for (detection, at) in triggered {
            if let Some((previous, done)) = last
                && previous == detection
                && at < done
            {
                continue;
            }
            let done = self.run(detection, text, at, syntax, &mut candidates);
            last = Some((detection, done));
        }
        finish(text, candidates)
    }

    /// The URLs with a password in `text`, whatever else their passwords are.
    pub(crate) fn url_passwords_in(&self, text: &str) -> Vec<Secret> {
        let mut candidates = Vec::new();
        self.url_passwords(text, 0, &mut candidates);
        finish(text, candidates)
    }

    /// Runs one detection at the keyword found at `at`; returns the offset up to which the
    /// text has been looked at.
    fn run(
        &self,
        detection: Detection,
        text: &str,
        at: usize,
        syntax: Syntax,
        out: &mut Vec<Candidate>,
    ) -> usize {
        let (line_start, line_end) = line_around(text, at);
        let line = &text[line_start..line_end];
        match detection {
            Detection::Format(index) => {
                self.format(index, line, line_start, out);
                line_end
            }
            Detection::Special(Special::PemKey) => match keys::pem_at(text, at) {
                Some(key) => {
                    let end = key.end;
                    out.push(key_candidate(text, key));
                    end
                }
                None => at + 1,
            },
            Detection::Special(Special::PuttyKey) => match keys::putty_at(text, at) {
                Some(key) => {
                    let end = key.end;
                    out.push(key_candidate(text, key));
                    end
                }
                None => at + 1,
            },
            Detection::Special(Special::Base64PemKey) => match keys::base64_pem_at(text, at) {
                Some(key) => {
                    let end = key.end;
                    out.push(key_candidate(text, key));
                    end
                }
                None => at + 1,
            },
            Detection::Special(Special::UrlPassword) => {
                self.url_passwords(line, line_start, out);
                line_end
            }
            Detection::Special(Special::AuthorizationHeader) => {
                for found in self.authorization.captures_iter(line) {
                    let secret = found.name("s").expect("the pattern has `s`");
                    if !is_placeholder(secret.as_str()) && checks::entropy(secret.as_str()) >= 3.0 {
                        out.push(Candidate::hidden(
                            line_start + secret.start(),
                            line_start + secret.end(),
                            "authorization-header",
                            Cow::Borrowed("a credential in an Authorization header"),
                            Class::Token,
                        ));
                    }
                }
                line_end
            }
            Detection::Special(Special::Named) => {
                self.named(line, line_start, syntax, out);
                line_end
            }
        }
    }

    fn format(&self, index: usize, line: &str, offset: usize, out: &mut Vec<Candidate>) {
        let format = &FORMATS[index];
        for found in self.formats[index].captures_iter(line) {
            let secret = found
                .name("s")
                .or_else(|| found.get(0))
                .expect("a match has a whole");
            let value = secret.as_str();
            if token_placeholder(value) || format.check.is_some_and(|check| !check(value)) {
                // Not that secret, and not a secret by its name either: an example, or a
                // value that only looks like the format.
                out.push(Candidate {
                    priority: 0,
                    ..Candidate::hidden(
                        offset + secret.start(),
                        offset + secret.end(),
                        REJECTED,
                        Cow::Borrowed("not a secret"),
                        Class::Token,
                    )
                });
                continue;
            }
            out.push(Candidate {
                start: offset + secret.start(),
                end: offset + secret.end(),
                id: format.id,
                what: Cow::Borrowed(format.what),
                class: Class::Token,
                redaction: Redaction::Prefix(format.public),
                format: Some(format),
                priority: 1,
                name: None,
            });
        }
    }

    fn url_passwords(&self, line: &str, offset: usize, out: &mut Vec<Candidate>) {
        for found in self.url.captures_iter(line) {
            let password = found.name("s").expect("the pattern has `s`");
            if is_placeholder(password.as_str()) {
                continue;
            }
            let part = |name: &str| found.name(name).map_or("", |m| m.as_str()).to_owned();
            out.push(Candidate {
                start: offset + password.start(),
                end: offset + password.end(),
                id: "url-password",
                what: Cow::Borrowed("a URL with a password in it"),
                class: Class::Password,
                redaction: Redaction::Url {
                    scheme: part("scheme"),
                    user: part("user"),
                    host: part("host"),
                },
                format: None,
                priority: 2,
                name: None,
            });
        }
    }

    /// `name = value` assignments whose name announces a secret.
    fn named(&self, line: &str, offset: usize, syntax: Syntax, out: &mut Vec<Candidate>) {
        for found in self.assignment.captures_iter(line) {
            let name = found.name("name").expect("the pattern has `name`");
            let raw = found.name("value").expect("the pattern has `value`");
            let Some(strength) = name_strength(name.as_str()) else {
                continue;
            };
            let quoted = raw.as_str().starts_with(['"', '\'']);
            let (start, end) = if quoted {
                (raw.start() + 1, raw.end() - 1)
            } else {
                (raw.start(), raw.end())
            };
            let value = &line[start..end];
            let before = line[..name.start()].trim_end_matches(['"', '\'']);
            let leads_line = before
                .trim_start()
                .trim_start_matches("export ")
                .trim_start_matches("- ")
                .trim()
                .is_empty();
            let literal = quoted
                || before.ends_with("--")
                || (syntax == Syntax::Config && leads_line && found["op"].ne("=>"));
            if !literal || !named_secret(strength, value) {
                continue;
            }
            out.push(Candidate {
                start: offset + start,
                end: offset + end,
                id: "named-secret",
                what: Cow::Owned(format!("a literal {}", noun_for(name.as_str()))),
                class: Class::Password,
                redaction: Redaction::Hidden,
                format: None,
                priority: 3,
                name: Some(name.as_str().to_owned()),
            });
        }
    }
}

/// Whether a literal assigned to a name of `strength` is a secret rather than a setting.
pub(crate) fn named_secret(strength: NameStrength, value: &str) -> bool {
    if is_placeholder(value) || value.contains(char::is_whitespace) {
        return false;
    }
    match strength {
        NameStrength::Strong => value.chars().count() >= 6 && checks::entropy(value) >= 2.0,
        NameStrength::Weak => looks_random(value),
    }
}

/// The id of a candidate that has a format's shape but fails its check: it wins overlaps,
/// then is dropped.
const REJECTED: &str = "rejected";

/// A token that says it is an example: `AKIAIOSFODNN7EXAMPLE`, `ghp_xxxxxxxx…`.
fn token_placeholder(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    [
        "example",
        "xxxxxx",
        "000000",
        "placeholder",
        "redacted",
        "dummy",
    ]
    .iter()
    .any(|marker| lower.contains(marker))
}

/// Formats first, then the special detections, in a fixed order.
fn detection_order(detection: Detection) -> usize {
    match detection {
        Detection::Format(index) => index,
        Detection::Special(special) => FORMATS.len() + special as usize,
    }
}

/// The line holding `at`: its start and its end (before the line break).
fn line_around(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let start = memchr_back(bytes, at).map_or(0, |n| n + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |n| at + n);
    (start, end)
}

fn memchr_back(bytes: &[u8], before: usize) -> Option<usize> {
    bytes[..before].iter().rposition(|&b| b == b'\n')
}

/// How a secret is shown.
pub(crate) enum Redaction {
    /// The issuer's prefix of this many characters, then the length.
    Prefix(usize),
    /// A header line that is not secret (a key's `-----BEGIN …-----`).
    Header(String),
    /// `scheme://user:****@host`.
    Url {
        scheme: String,
        user: String,
        host: String,
    },
    /// Only the length.
    Hidden,
}

/// A secret before overlaps are settled.
pub(crate) struct Candidate {
    start: usize,
    end: usize,
    id: &'static str,
    what: Cow<'static, str>,
    class: Class,
    redaction: Redaction,
    format: Option<&'static Format>,
    /// Lower wins where two candidates overlap: a key's body may hold anything.
    priority: u8,
    name: Option<String>,
}

impl Candidate {
    fn hidden(
        start: usize,
        end: usize,
        id: &'static str,
        what: Cow<'static, str>,
        class: Class,
    ) -> Candidate {
        Candidate {
            start,
            end,
            id,
            what,
            class,
            redaction: Redaction::Hidden,
            format: None,
            priority: 2,
            name: None,
        }
    }
}

fn key_candidate(text: &str, key: keys::Key) -> Candidate {
    let what = if key.what.contains("PKCS#8") || key.what.contains("RSA") {
        google_service_account(text, key.start)
            .map(Cow::Borrowed)
            .unwrap_or(key.what)
    } else {
        key.what
    };
    Candidate {
        start: key.start,
        end: key.end,
        id: "private-key",
        what,
        class: Class::PrivateKey,
        redaction: Redaction::Header(key.header),
        format: None,
        priority: 0,
        name: None,
    }
}

/// A key that is the `private_key` of a Google Cloud service account's JSON key file.
fn google_service_account(text: &str, at: usize) -> Option<&'static str> {
    let mut from = at.saturating_sub(200);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = &text[from..at];
    (before.contains("\"private_key\"") && text.contains("\"service_account\""))
        .then_some("a Google Cloud service account key")
}

/// Settles overlaps (the lower priority wins, then the earlier), sorts by position and
/// computes lines, columns, redactions and digests.
fn finish(text: &str, mut candidates: Vec<Candidate>) -> Vec<Secret> {
    candidates.sort_by_key(|c| (c.priority, c.start, std::cmp::Reverse(c.end)));
    let mut kept: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        if !kept
            .iter()
            .any(|k| k.start < candidate.end && candidate.start < k.end)
        {
            kept.push(candidate);
        }
    }
    kept.retain(|c| c.id != REJECTED);
    kept.sort_by_key(|c| c.start);
    let mut lines = LineCounter::new(text);
    kept.into_iter()
        .map(|candidate| {
            let value = &text[candidate.start..candidate.end];
            let (line, column) = lines.position(candidate.start);
            let last = value.char_indices().last().map_or(0, |(i, _)| i);
            let (end_line, end_column) = lines.position(candidate.start + last);
            Secret {
                id: candidate.id,
                what: candidate.what,
                class: candidate.class,
                start: candidate.start,
                end: candidate.end,
                line,
                column,
                end_line,
                end_column,
                redacted: redact(value, &candidate.redaction),
                digest: crate::digest(value),
                format: candidate.format,
                name: candidate.name,
            }
        })
        .collect()
}

/// Line and column (both from 1, columns in characters) of offsets asked in increasing
/// order.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    line_start: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn position(&mut self, at: usize) -> (u32, u32) {
        if at < self.offset {
            // Ends of one secret come after starts of the next only for nested ones, which
            // are settled away; start over to stay right in any case.
            *self = LineCounter::new(self.text);
        }
        for (i, b) in self.text.as_bytes()[self.offset..at].iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = at;
        let column = self.text[self.line_start..at].chars().count() as u32 + 1;
        (self.line, column)
    }
}
