//! JSON streams into [`Node`] trees, read as Kubernetes reads them rather than as YAML.
//!
//! `kubectl` decodes a file whose first character is `{` as a stream of JSON values (objects
//! one after another, as `kubectl get -w -o json` writes them), and JSON is not quite YAML:
//! `"\ud83d\udea8"` is one character written as a surrogate pair, which YAML parsers refuse.
//! The values drive the same tree builder as YAML, so limits, duplicate keys and positions are
//! the same. Comments and trailing commas (JSONC, as in `renovate.json`) are read, and where
//! the first of them stands is told, since neither `kubectl` nor the API server accepts them.

use std::borrow::Cow;

use saphyr_parser::{Event, ScalarStyle};

use crate::Limits;
use crate::node::Span;
use crate::yaml::{Documents, YamlDocument, YamlError};

/// What a JSON stream held.
#[derive(Debug)]
pub(crate) struct JsonStream {
    pub docs: Vec<YamlDocument>,
    pub error: Option<YamlError>,
    /// The line of the first comment or trailing comma: text that is not JSON.
    pub not_json_at: Option<u32>,
}

/// Whether `kubectl` would decode this text as JSON: its first character, after white space,
/// opens an object.
pub(crate) fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Parses a stream of JSON values; values before an error are kept.
pub(crate) fn parse_json_stream(text: &str, limits: &Limits) -> JsonStream {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        column: 1,
        counted: 0,
        not_json_at: None,
    };
    let mut documents = Documents::new(limits).without_merge_keys();
    let mut error = None;
    loop {
        match reader.skip_space() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
        if let Err(e) = reader.value(&mut documents) {
            error = Some(e);
            break;
        }
    }
    JsonStream {
        docs: documents.docs,
        error,
        not_json_at: reader.not_json_at,
    }
}

/// An open array or object, innermost last.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Array,
    Object,
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// Line and column (1-based, in characters) of byte `counted`; columns are brought up to
    /// `pos` only when a position is asked for, so a long line costs linear time.
    line: u32,
    column: u32,
    counted: usize,
    not_json_at: Option<u32>,
}

impl<'t> Reader<'t> {
    fn span(&mut self) -> Span {
        let skipped = &self.bytes[self.counted..self.pos];
        self.column += skipped.iter().filter(|&&b| !is_continuation(b)).count() as u32;
        self.counted = self.pos;
        Span::new(self.line, self.column)
    }

    fn error(&mut self, message: impl Into<String>) -> YamlError {
        YamlError {
            line: self.span().line,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn newline(&mut self) {
        self.pos += 1;
        self.line += 1;
        self.column = 1;
        self.counted = self.pos;
    }

    /// Skips white space and comments; whether anything follows.
    fn skip_space(&mut self) -> Result<bool, YamlError> {
        loop {
            match self.peek() {
                Some(b'\n') => self.newline(),
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'/') => self.comment()?,
                Some(_) => return Ok(true),
                None => return Ok(false),
            }
        }
    }

    fn comment(&mut self) -> Result<(), YamlError> {
        let line = self.line;
        self.not_json_at.get_or_insert(line);
        match self.bytes.get(self.pos + 1) {
            Some(b'/') => {
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.pos += 1;
                }
                Ok(())
            }
            Some(b'*') => {
                self.pos += 2;
                loop {
                    match self.peek() {
                        None => {
                            return Err(YamlError {
                                line,
                                message: "a comment opened here is never closed".to_owned(),
                            });
                        }
                        Some(b'\n') => self.newline(),
                        Some(b'*') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                            self.pos += 2;
                            return Ok(());
                        }
                        Some(_) => self.pos += 1,
                    }
                }
            }
            _ => Err(self.error("unexpected `/`")),
        }
    }

    /// Reads one whole value (an array or object with everything inside it), without
    /// recursion: the depth limit, not the thread's stack, bounds nesting.
    fn value(&mut self, documents: &mut Documents<'_>) -> Result<(), YamlError> {
        let mut open: Vec<Open> = Vec::new();
        documents.event(Event::DocumentStart(false), self.span())?;
        loop {
            // A value is expected here.
            self.expect_more("a value")?;
            let at = self.span();
            match self.peek() {
                Some(b'{') => {
                    self.pos += 1;
                    documents.event(Event::MappingStart(0, None), at)?;
                    open.push(Open::Object);
                    if self.close_or_key(documents, &mut open, true)? {
                        continue;
                    }
                }
                Some(b'[') => {
                    self.pos += 1;
                    documents.event(Event::SequenceStart(0, None), at)?;
                    open.push(Open::Array);
                    self.expect_more("a value or `]`")?;
                    if self.peek() != Some(b']') {
                        continue;
                    }
                    self.pos += 1;
                    open.pop();
                    documents.event(Event::SequenceEnd, at)?;
                }
                Some(b'"') => {
                    let text = self.string()?;
                    documents.event(scalar(text, ScalarStyle::DoubleQuoted), at)?;
                }
                _ => {
                    let text = self.literal()?;
                    documents.event(scalar(Cow::Borrowed(text), ScalarStyle::Plain), at)?;
                }
            }
            // After a value: close what is finished, up to the next value or the end.
            loop {
                let Some(&innermost) = open.last() else {
                    documents.event(Event::DocumentEnd, at)?;
                    return Ok(());
                };
                let (close, name) = match innermost {
                    Open::Array => (b']', "`,` or `]` after an array item"),
                    Open::Object => (b'}', "`,` or `}` after an object member"),
                };
                self.expect_more(name)?;
                let here = self.span();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        match innermost {
                            Open::Object => {
                                if self.close_or_key(documents, &mut open, false)? {
                                    break;
                                }
                            }
                            Open::Array => {
                                self.expect_more("a value")?;
                                if self.peek() != Some(b']') {
                                    break;
                                }
                                self.trailing_comma();
                                self.pos += 1;
                                open.pop();
                                documents.event(Event::SequenceEnd, here)?;
                            }
                        }
                    }
                    Some(c) if c == close => {
                        self.pos += 1;
                        open.pop();
                        let end = match innermost {
                            Open::Array => Event::SequenceEnd,
                            Open::Object => Event::MappingEnd,
                        };
                        documents.event(end, here)?;
                    }
                    _ => return Err(self.error(format!("expected {name}"))),
                }
            }
        }
    }

    /// After `{` (`first`) or a `,` in an object: either the object closes (returns `false`,
    /// the object done) or a key and its `:` are read (returns `true`, its value comes next).
    fn close_or_key(
        &mut self,
        documents: &mut Documents<'_>,
        open: &mut Vec<Open>,
        first: bool,
    ) -> Result<bool, YamlError> {
        self.expect_more("a key or `}`")?;
        let at = self.span();
        match self.peek() {
            Some(b'}') => {
                if !first {
                    self.trailing_comma();
                }
                self.pos += 1;
                open.pop();
                documents.event(Event::MappingEnd, at)?;
                Ok(false)
            }
            Some(b'"') => {
                let key = self.string()?;
                documents.event(scalar(key, ScalarStyle::DoubleQuoted), at)?;
                self.expect_more("`:` after a key")?;
                if self.peek() != Some(b':') {
                    return Err(self.error("expected `:` after a key"));
                }
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.error("expected a key (a string in double quotes)")),
        }
    }

    fn trailing_comma(&mut self) {
        let line = self.line;
        self.not_json_at.get_or_insert(line);
    }

    fn expect_more(&mut self, what: &str) -> Result<(), YamlError> {
        if self.skip_space()? {
            Ok(())
        } else {
            Err(self.error(format!("the text ends where {what} was expected")))
        }
    }

    /// `true`, `false`, `null` or a number, as written (the tree builder types them).
    fn literal(&mut self) -> Result<&'t str, YamlError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
        {
            self.pos += 1;
        }
        let text = &self.text[start..self.pos];
        if matches!(text, "true" | "false" | "null") || is_json_number(text) {
            Ok(text)
        } else if text.is_empty() {
            let found = self.text[start..].chars().next().unwrap_or(' ');
            Err(self.error(format!("expected a value, found `{found}`")))
        } else {
            Err(self.error(format!("`{text}` is not a JSON value")))
        }
    }

    /// A string's value, escapes decoded; the reader stands on its opening quote.
    fn string(&mut self) -> Result<Cow<'t, str>, YamlError> {
        self.pos += 1;
        let start = self.pos;
        // Most strings have no escape: borrow them.
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Borrowed(&self.text[start..self.pos - 1]));
                }
                b'\\' => break,
                b if b < 0x20 => return Err(self.error("a control character inside a string")),
                _ => self.pos += 1,
            }
        }
        let mut value = self.text[start..self.pos].to_owned();
        loop {
            match self.peek() {
                None => return Err(self.error("a string is never closed")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(value));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            value.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.error("an unknown escape in a string")),
                    };
                    self.pos += 1;
                    value.push(escaped);
                }
                Some(b) if b < 0x20 => {
                    return Err(self.error("a control character inside a string"));
                }
                Some(_) => {
                    let c = self.text[self.pos..].chars().next().unwrap_or_default();
                    self.pos += c.len_utf8();
                    value.push(c);
                }
            }
        }
    }

    /// `uXXXX` after a backslash, and the low half of a surrogate pair after a high half. A
    /// lone half becomes U+FFFD, as Go's decoder (the API server's) makes it.
    fn unicode_escape(&mut self) -> Result<char, YamlError> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return Ok(char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        if self.bytes[self.pos..].starts_with(b"\\u") {
            let back = self.pos;
            self.pos += 1;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            // Not a low half: it is an escape of its own, read next.
            self.pos = back;
        }
        Ok(char::REPLACEMENT_CHARACTER)
    }

    /// The four hex digits after `u` (the reader stands on the `u`).
    fn hex4(&mut self) -> Result<u32, YamlError> {
        let digits = self
            .text
            .get(self.pos + 1..self.pos + 5)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(digits) = digits else {
            return Err(self.error("`\\u` needs four hexadecimal digits"));
        };
        let code = u32::from_str_radix(digits, 16).unwrap_or_default();
        self.pos += 5;
        Ok(code)
    }
}

fn scalar(text: Cow<'_, str>, style: ScalarStyle) -> Event<'_> {
    Event::Scalar(text, style, 0, None)
}

/// A UTF-8 byte that continues a character rather than starting one.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = text.strip_prefix('-').unwrap_or(text);
    let int = digits(rest);
    if int == 0 || (int > 1 && rest.starts_with('0')) {
        return false;
    }
    let mut rest = &rest[int..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = digits(fraction);
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        let n = digits(exponent);
        if n == 0 {
            return false;
        }
        rest = &exponent[n..];
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Value;

    fn parse(text: &str) -> JsonStream {
        parse_json_stream(text, &Limits::default())
    }

    #[test]
    fn a_stream_of_objects_is_one_document_each() {
        let stream = parse("{\"a\": 1}\n{\"b\": [true, null, -1.5e2]}{\"c\":{}}\n");
        assert_eq!(stream.error, None);
        assert_eq!(stream.docs.len(), 3);
        let b = stream.docs[1].root.get("b").unwrap().as_seq().unwrap();
        assert_eq!(b[0].as_bool(), Some(true));
        assert!(b[1].is_null());
        assert_eq!(b[2].value, Value::Float(-150.0));
        assert_eq!(stream.docs[1].line, 2);
        assert_eq!(stream.docs[2].root.span, Span::new(2, 28));
        assert_eq!(stream.not_json_at, None);
    }

    #[test]
    fn surrogate_pairs_decode_to_one_character() {
        let stream = parse(r#"{"x": "\ud83d\udea8 \u00e9\n", "lone": "\ud83d!", "rev": "\udea8"}"#);
        assert_eq!(stream.error, None);
        let root = &stream.docs[0].root;
        assert_eq!(root.get("x").unwrap().as_str(), Some("\u{1F6A8} é\n"));
        assert_eq!(root.get("lone").unwrap().as_str(), Some("\u{FFFD}!"));
        assert_eq!(root.get("rev").unwrap().as_str(), Some("\u{FFFD}"));
    }

    #[test]
    fn positions_count_characters_on_long_lines() {
        let stream = parse("{\"é\": \"ü\", \"k\": [1, {\"z\": 2}]}");
        let root = &stream.docs[0].root;
        assert_eq!(root.entry("k").unwrap().key_span, Span::new(1, 12));
        assert_eq!(root.pointer("/k/1/z").unwrap().span, Span::new(1, 27));
    }

    #[test]
    fn strings_keep_yaml_lookalikes_and_merge_keys_are_plain_keys() {
        let stream = parse(r#"{"on": "yes", "n": "0644", "<<": {"a": 1}, "num": 0}"#);
        let root = &stream.docs[0].root;
        assert_eq!(root.get("on").unwrap().as_str(), Some("yes"));
        assert_eq!(root.get("n").unwrap().as_str(), Some("0644"));
        assert!(root.get("<<").is_some() && root.get("a").is_none());
        assert_eq!(root.get("num").unwrap().as_i64(), Some(0));
    }

    #[test]
    fn comments_and_trailing_commas_are_read_and_told() {
        let stream = parse("{\n  \"a\": 1,\n  // why\n  \"b\": [1, 2,],\n  /* x */ \"c\": 3,\n}\n");
        assert_eq!(stream.error, None);
        assert_eq!(stream.not_json_at, Some(3));
        assert_eq!(stream.docs[0].root.entries().len(), 3);
    }

    #[test]
    fn bad_json_is_an_error_with_its_line() {
        for (text, line, message) in [
            ("{\"a\": 1\n\"b\": 2}", 2, "expected `,` or `}`"),
            ("{\"a\": 01}", 1, "`01` is not a JSON value"),
            ("{\"a\": tru}", 1, "`tru` is not a JSON value"),
            ("{\"a\":\n", 2, "the text ends where a value was expected"),
            ("{\"a\": \"x\ny\"}", 1, "control character"),
            ("{\"a\": \"\\q\"}", 1, "unknown escape"),
            ("{a: 1}", 1, "expected a key"),
            ("{\"a\": 1} /* open", 1, "never closed"),
        ] {
            let stream = parse(text);
            let error = stream.error.unwrap_or_else(|| panic!("{text}"));
            assert_eq!(error.line, line, "{text}");
            assert!(error.message.contains(message), "{text}: {}", error.message);
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        let stream = parse(&text);
        let error = stream.error.unwrap();
        assert!(
            error.message.contains("nesting deeper than 128"),
            "{}",
            error.message
        );
        assert_eq!(error.line, 1);
    }

    #[test]
    fn numbers_follow_json_grammar() {
        for good in ["0", "-0", "12", "1.5", "1e9", "-2.5E-3", "10"] {
            assert!(is_json_number(good), "{good}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "+1", "0x1F", "1_000", "1.5.2",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
