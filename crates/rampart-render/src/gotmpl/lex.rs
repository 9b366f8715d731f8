//! The lexer of Go's `text/template`: text and actions between `{{` and `}}`, the `{{- ` and
//! ` -}}` trim markers (which need the space), comments, and the tokens inside actions.

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Text(String),
    LeftDelim,
    RightDelim,
    Space,
    /// `.name` (one segment; a chain is several).
    Field(String),
    /// `$` or `$name`.
    Variable(String),
    Identifier(String),
    Keyword(Keyword),
    Bool(bool),
    Number(String),
    /// A quoted string's value, with the source text for messages.
    Str {
        value: String,
        text: String,
    },
    Char(String),
    Dot,
    Pipe,
    Declare,
    Assign,
    LeftParen,
    RightParen,
    /// Any other printable ASCII character inside an action (`,` in range declarations).
    Punct(char),
    Eof,
    Error(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Keyword {
    fn from_word(word: &str) -> Option<Keyword> {
        Some(match word {
            "block" => Keyword::Block,
            "break" => Keyword::Break,
            "continue" => Keyword::Continue,
            "define" => Keyword::Define,
            "else" => Keyword::Else,
            "end" => Keyword::End,
            "if" => Keyword::If,
            "nil" => Keyword::Nil,
            "range" => Keyword::Range,
            "template" => Keyword::Template,
            "with" => Keyword::With,
            _ => return None,
        })
    }
    pub fn word(self) -> &'static str {
        match self {
            Keyword::Block => "block",
            Keyword::Break => "break",
            Keyword::Continue => "continue",
            Keyword::Define => "define",
            Keyword::Else => "else",
            Keyword::End => "end",
            Keyword::If => "if",
            Keyword::Nil => "nil",
            Keyword::Range => "range",
            Keyword::Template => "template",
            Keyword::With => "with",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Item {
    pub tok: Tok,
    /// Byte offset in the template text.
    pub pos: usize,
    /// 1-based line of `pos`.
    pub line: usize,
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn has_left_trim(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == b'-' && is_space(s[1])
}

fn has_right_trim(s: &[u8]) -> bool {
    s.len() >= 2 && is_space(s[0]) && s[1] == b'-'
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    items: Vec<Item>,
    paren_depth: usize,
    /// The next text starts with whitespace to drop (after ` -}}`).
    trim_next: bool,
    line_pos: usize,
    line: usize,
}

/// The items of `input`; the last is `Eof` or an `Error` (which ends the stream).
pub fn lex(input: &str) -> Vec<Item> {
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        items: Vec::new(),
        paren_depth: 0,
        trim_next: false,
        line_pos: 0,
        line: 1,
    };
    l.run();
    l.items
}

impl<'a> Lexer<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.input.as_bytes()
    }

    /// The line of `pos`, counted on from the last position asked (items come in order).
    fn line_at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.input.len());
        if pos < self.line_pos {
            self.line_pos = 0;
            self.line = 1;
        }
        self.line += self.bytes()[self.line_pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line_pos = pos;
        self.line
    }

    fn emit_at(&mut self, tok: Tok, pos: usize) {
        let line = self.line_at(pos);
        self.items.push(Item { tok, pos, line });
    }

    fn emit(&mut self, tok: Tok) {
        self.emit_at(tok, self.start);
        self.start = self.pos;
    }

    fn error(&mut self, msg: String) -> bool {
        self.emit_at(Tok::Error(msg), self.start);
        false
    }

    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn run(&mut self) {
        loop {
            if !self.text() {
                return;
            }
            if self.pos >= self.input.len() {
                self.emit_at(Tok::Eof, self.pos);
                return;
            }
            if !self.action() {
                return;
            }
        }
    }

    /// Text up to the next `{{` (or the end). False when the stream is done.
    fn text(&mut self) -> bool {
        let rest = &self.input[self.pos..];
        let (text_end, delim_at) = match rest.find(LEFT) {
            Some(i) => {
                let at = self.pos + i;
                let after = &self.bytes()[at + LEFT.len()..];
                let end = if has_left_trim(after) {
                    self.input[..at]
                        .trim_end_matches([' ', '\t', '\r', '\n'])
                        .len()
                        .max(self.pos)
                } else {
                    at
                };
                (end, Some(at))
            }
            None => (self.input.len(), None),
        };
        let mut text_start = self.pos;
        if self.trim_next {
            let trimmed =
                self.input[text_start..text_end].trim_start_matches([' ', '\t', '\r', '\n']);
            text_start = text_end - trimmed.len();
            self.trim_next = false;
        }
        if text_end > text_start {
            let t = self.input[text_start..text_end].to_string();
            self.emit_at(Tok::Text(t), text_start);
        }
        match delim_at {
            Some(at) => {
                self.pos = at;
                self.start = at;
                true
            }
            None => {
                self.pos = self.input.len();
                true
            }
        }
    }

    /// From `{{` to `}}`. False on error.
    fn action(&mut self) -> bool {
        let at = self.pos;
        self.pos += LEFT.len();
        let trimmed = has_left_trim(&self.bytes()[self.pos..]);
        if trimmed {
            self.pos += 2;
        }
        // A comment must sit right against the delimiters.
        if self.input[self.pos..].starts_with("/*") {
            return self.comment(at);
        }
        self.start = at;
        self.emit_at(Tok::LeftDelim, at);
        self.start = self.pos;
        self.paren_depth = 0;
        self.inside_action()
    }

    fn comment(&mut self, at: usize) -> bool {
        self.start = at;
        let body = self.pos + 2;
        let Some(end) = self.input[body..].find("*/") else {
            return self.error("unclosed comment".into());
        };
        self.pos = body + end + 2;
        let rest = &self.bytes()[self.pos..];
        let (delim, trim) = if has_right_trim(rest) && self.input[self.pos + 2..].starts_with(RIGHT)
        {
            (true, true)
        } else {
            (self.input[self.pos..].starts_with(RIGHT), false)
        };
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        self.pos += RIGHT.len() + if trim { 2 } else { 0 };
        self.trim_next = trim;
        self.start = self.pos;
        true
    }

    /// Whether a right delimiter starts here, and whether it carries the trim marker.
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.bytes()[self.pos..];
        if has_right_trim(rest) && self.input[self.pos + 2..].starts_with(RIGHT) {
            return (true, true);
        }
        (self.input[self.pos..].starts_with(RIGHT), false)
    }

    fn inside_action(&mut self) -> bool {
        loop {
            let (delim, trim) = self.at_right_delim();
            if delim {
                if self.paren_depth > 0 {
                    return self.error("unclosed left paren".into());
                }
                let at = self.pos;
                self.pos += RIGHT.len() + if trim { 2 } else { 0 };
                self.emit_at(Tok::RightDelim, at);
                self.start = self.pos;
                self.trim_next = trim;
                return true;
            }
            self.start = self.pos;
            let Some(c) = self.next() else {
                return self.error("unclosed action".into());
            };
            let ok = match c {
                c if c.is_ascii() && is_space(c as u8) => {
                    self.pos -= 1;
                    self.space()
                }
                '=' => {
                    self.emit(Tok::Assign);
                    true
                }
                ':' => {
                    if self.next() != Some('=') {
                        return self.error("expected :=".into());
                    }
                    self.emit(Tok::Declare);
                    true
                }
                '|' => {
                    self.emit(Tok::Pipe);
                    true
                }
                '"' => self.quote(),
                '`' => self.raw_quote(),
                '$' => self.field_or_variable(true),
                '\'' => self.char_constant(),
                '.' if self.peek().is_some_and(|c| !c.is_ascii_digit()) => {
                    self.field_or_variable(false)
                }
                '.' | '+' | '-' | '0'..='9' => {
                    self.pos = self.start;
                    self.number()
                }
                c if is_alnum(c) => {
                    self.pos = self.start;
                    self.identifier()
                }
                '(' => {
                    self.paren_depth += 1;
                    self.emit(Tok::LeftParen);
                    true
                }
                ')' => {
                    if self.paren_depth == 0 {
                        return self.error("unexpected right paren".into());
                    }
                    self.paren_depth -= 1;
                    self.emit(Tok::RightParen);
                    true
                }
                c if c.is_ascii() && !c.is_ascii_control() => {
                    self.emit(Tok::Punct(c));
                    true
                }
                c => self.error(format!("unrecognized character in action: {}", go_rune(c))),
            };
            if !ok {
                return false;
            }
        }
    }

    fn space(&mut self) -> bool {
        let mut n = 0;
        while self.pos < self.input.len() && is_space(self.bytes()[self.pos]) {
            self.pos += 1;
            n += 1;
        }
        // A space followed by `-}}` belongs to the trim marker.
        let before = self.pos - 1;
        if has_right_trim(&self.bytes()[before..]) && self.input[before + 2..].starts_with(RIGHT) {
            self.pos = before;
            if n == 1 {
                self.start = self.pos;
                return true;
            }
        }
        self.emit(Tok::Space);
        true
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if c.is_ascii() && is_space(c as u8) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.input[self.pos..].starts_with(RIGHT),
        }
    }

    fn identifier(&mut self) -> bool {
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or(' ');
            return self.error(format!("bad character {}", go_rune(c)));
        }
        let word = &self.input[self.start..self.pos];
        let tok = match Keyword::from_word(word) {
            Some(k) => Tok::Keyword(k),
            None if word == "true" => Tok::Bool(true),
            None if word == "false" => Tok::Bool(false),
            None => Tok::Identifier(word.to_string()),
        };
        self.emit(tok);
        true
    }

    /// `.name`, `.`, `$name` or `$`; the first character is already consumed.
    fn field_or_variable(&mut self, variable: bool) -> bool {
        if self.at_terminator() {
            let tok = if variable {
                Tok::Variable("$".into())
            } else {
                Tok::Dot
            };
            self.emit(tok);
            return true;
        }
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or(' ');
            return self.error(format!("bad character {}", go_rune(c)));
        }
        let word = self.input[self.start..self.pos].to_string();
        let tok = if variable {
            Tok::Variable(word)
        } else {
            Tok::Field(word[1..].to_string())
        };
        self.emit(tok);
        true
    }

    fn char_constant(&mut self) -> bool {
        loop {
            match self.next() {
                Some('\\') if self.next().is_none() => {
                    return self.error("unterminated character constant".into());
                }
                None | Some('\n') => return self.error("unterminated character constant".into()),
                Some('\'') => break,
                _ => {}
            }
        }
        let text = self.input[self.start..self.pos].to_string();
        self.emit(Tok::Char(text));
        true
    }

    fn number(&mut self) -> bool {
        if !self.scan_number() {
            let text = &self.input[self.start..self.pos];
            return self.error(format!("bad number syntax: {:?}", text));
        }
        let text = self.input[self.start..self.pos].to_string();
        self.emit(Tok::Number(text));
        true
    }

    fn accept(&mut self, valid: &str) -> bool {
        if self.peek().is_some_and(|c| valid.contains(c)) {
            self.next();
            return true;
        }
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.next();
            return false;
        }
        true
    }

    fn quote(&mut self) -> bool {
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return self.error("unterminated quoted string".into());
                    }
                }
                None | Some('\n') => return self.error("unterminated quoted string".into()),
                Some('"') => break,
                _ => {}
            }
        }
        let text = self.input[self.start..self.pos].to_string();
        match unquote(&text) {
            Some(value) => {
                self.emit(Tok::Str { value, text });
                true
            }
            None => self.error(format!("invalid syntax: {text}")),
        }
    }

    fn raw_quote(&mut self) -> bool {
        loop {
            match self.next() {
                None => return self.error("unterminated raw quoted string".into()),
                Some('`') => break,
                _ => {}
            }
        }
        let text = self.input[self.start..self.pos].to_string();
        let value = text[1..text.len() - 1].replace('\r', "");
        self.emit(Tok::Str { value, text });
        true
    }
}

/// `%#U` of a rune, as Go's lexer errors show it.
fn go_rune(c: char) -> String {
    format!("U+{:04X} '{c}'", c as u32)
}

/// Go's `strconv.Unquote` of a double-quoted literal.
pub fn unquote(text: &str) -> Option<String> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    let mut bytes: Vec<u8> = Vec::new();
    let flush = |bytes: &mut Vec<u8>, out: &mut String| {
        if !bytes.is_empty() {
            out.push_str(&String::from_utf8_lossy(bytes));
            bytes.clear();
        }
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush(&mut bytes, &mut out);
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        let simple = match e {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            _ => None,
        };
        if let Some(s) = simple {
            flush(&mut bytes, &mut out);
            out.push(s);
            continue;
        }
        match e {
            'x' => {
                let h: String = (0..2).filter_map(|_| chars.next()).collect();
                bytes.push(u8::from_str_radix(&h, 16).ok()?);
            }
            '0'..='7' => {
                let rest: String = (0..2).filter_map(|_| chars.next()).collect();
                let v = u32::from_str_radix(&format!("{e}{rest}"), 8).ok()?;
                bytes.push(u8::try_from(v).ok()?);
            }
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let h: String = (0..n).filter_map(|_| chars.next()).collect();
                flush(&mut bytes, &mut out);
                out.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    flush(&mut bytes, &mut out);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).into_iter().map(|i| i.tok).collect()
    }

    #[test]
    fn trim_markers_need_their_space() {
        assert_eq!(
            toks("a  {{- 3 -}}  b"),
            vec![
                Tok::Text("a".into()),
                Tok::LeftDelim,
                Tok::Number("3".into()),
                Tok::RightDelim,
                Tok::Text("b".into()),
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("a {{-3}}"),
            vec![
                Tok::Text("a ".into()),
                Tok::LeftDelim,
                Tok::Number("-3".into()),
                Tok::RightDelim,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn comments_and_fields() {
        assert_eq!(
            toks("x {{- /* c */ -}} y{{ $v.a.b }}"),
            vec![
                Tok::Text("x".into()),
                Tok::Text("y".into()),
                Tok::LeftDelim,
                Tok::Space,
                Tok::Variable("$v".into()),
                Tok::Field("a".into()),
                Tok::Field("b".into()),
                Tok::Space,
                Tok::RightDelim,
                Tok::Eof
            ]
        );
        assert!(matches!(toks("{{/* c */ x }}")[0], Tok::Error(_)));
    }
}
