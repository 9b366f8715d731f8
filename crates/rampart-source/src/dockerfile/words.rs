//! Words of an instruction the way BuildKit's shell lexer makes them for `FROM`, `COPY`, `ENV`,
//! `USER` and the other non-`RUN` instructions: split at unquoted whitespace, quotes removed,
//! the escape character honoured, and `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:+alternative}`, `${VAR+alternative}` and `${VAR:?message}` expanded from the
//! build arguments and environment in scope.

/// Words with variables expanded, and whether any variable was unset (its value is then
/// unknown: a `--build-arg` may set it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    pub words: Vec<String>,
    pub unresolved: bool,
}

/// Splits `text` into words and expands variables with `lookup`.
pub(crate) fn expand_words<'s>(
    text: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<&'s str>,
) -> Expanded {
    Lexer::new(text, escape, lookup).run(true)
}

struct Lexer<'t, 'l, 's> {
    chars: std::iter::Peekable<std::str::Chars<'t>>,
    escape: char,
    lookup: &'l dyn Fn(&str) -> Option<&'s str>,
    unresolved: bool,
}

impl<'t, 'l, 's> Lexer<'t, 'l, 's> {
    fn new(text: &'t str, escape: char, lookup: &'l dyn Fn(&str) -> Option<&'s str>) -> Self {
        Lexer {
            chars: text.chars().peekable(),
            escape,
            lookup,
            unresolved: false,
        }
    }

    fn run(mut self, split: bool) -> Expanded {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut in_word = false;
        while let Some(c) = self.chars.next() {
            match c {
                c if split && c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                '\'' => {
                    in_word = true;
                    for c in self.chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                        word.push(c);
                    }
                }
                '"' => {
                    in_word = true;
                    self.double_quoted(&mut word);
                }
                '$' => {
                    in_word = true;
                    self.variable(&mut word);
                }
                c if c == self.escape => {
                    in_word = true;
                    match self.chars.next() {
                        Some(next) => word.push(next),
                        None => word.push(c),
                    }
                }
                c => {
                    in_word = true;
                    word.push(c);
                }
            }
        }
        if in_word {
            words.push(word);
        }
        Expanded {
            words,
            unresolved: self.unresolved,
        }
    }

    fn double_quoted(&mut self, word: &mut String) {
        while let Some(c) = self.chars.next() {
            match c {
                '"' => return,
                '$' => self.variable(word),
                c if c == self.escape => match self.chars.peek().copied() {
                    Some(next) if next == '"' || next == '$' || next == self.escape => {
                        word.push(next);
                        self.chars.next();
                    }
                    _ => word.push(c),
                },
                c => word.push(c),
            }
        }
    }

    /// After a `$`: a name, `{...}`, or a lone `$`.
    fn variable(&mut self, word: &mut String) {
        match self.chars.peek().copied() {
            Some('{') => {
                self.chars.next();
                let mut name = String::new();
                while let Some(&c) = self.chars.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        name.push(c);
                        self.chars.next();
                    } else {
                        break;
                    }
                }
                let modifier = self.modifier();
                let value = (self.lookup)(&name);
                match modifier {
                    None => self.push_value(word, value),
                    Some((colon, op, operand)) => {
                        let set = match value {
                            Some(v) => !(colon && v.is_empty()),
                            None => false,
                        };
                        match op {
                            '-' if set => self.push_value(word, value),
                            '-' => word.push_str(&operand),
                            '+' if set => word.push_str(&operand),
                            '+' => {}
                            // `?`: the build fails when unset; the value is what it is.
                            _ => self.push_value(word, value),
                        }
                    }
                }
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::new();
                while let Some(&c) = self.chars.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        name.push(c);
                        self.chars.next();
                    } else {
                        break;
                    }
                }
                let value = (self.lookup)(&name);
                self.push_value(word, value);
            }
            _ => word.push('$'),
        }
    }

    fn push_value(&mut self, word: &mut String, value: Option<&str>) {
        match value {
            Some(value) => word.push_str(value),
            None => self.unresolved = true,
        }
    }

    /// The rest of `${name...}` up to the closing brace: `(colon, operator, operand)` for the
    /// modifiers, `None` for a plain `${name}`. The operand is itself expanded.
    fn modifier(&mut self) -> Option<(bool, char, String)> {
        let mut raw = String::new();
        let mut depth = 0;
        for c in self.chars.by_ref() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                _ => {}
            }
            raw.push(c);
        }
        let (colon, rest) = match raw.strip_prefix(':') {
            Some(rest) => (true, rest),
            None => (false, raw.as_str()),
        };
        let mut rest_chars = rest.chars();
        let op = rest_chars.next()?;
        if !matches!(op, '-' | '+' | '?') {
            return None;
        }
        let operand = Lexer::new(rest_chars.as_str(), self.escape, self.lookup).run(false);
        self.unresolved |= operand.unresolved;
        Some((colon, op, operand.words.concat()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> (Vec<String>, bool) {
        let lookup = |name: &str| match name {
            "VERSION" => Some("3.20"),
            "EMPTY" => Some(""),
            "USER" => Some("app"),
            _ => None,
        };
        let expanded = expand_words(text, '\\', &lookup);
        (expanded.words, expanded.unresolved)
    }

    #[test]
    fn quotes_escapes_and_whitespace() {
        assert_eq!(
            words(r#"a "b c" 'd $e' f\ g"#).0,
            ["a", "b c", "d $e", "f g"]
        );
        assert_eq!(words(r#""say \"hi\"""#).0, [r#"say "hi""#]);
        assert_eq!(words(r#""C:\path""#).0, [r"C:\path"]);
    }

    #[test]
    fn variables_and_modifiers() {
        assert_eq!(
            words("alpine:$VERSION"),
            (vec!["alpine:3.20".into()], false)
        );
        assert_eq!(words("alpine:${VERSION}").0, ["alpine:3.20"]);
        assert_eq!(words("${MISSING:-node}:${TAG:-20}").0, ["node:20"]);
        assert_eq!(words("${EMPTY:-x}${EMPTY-y}").0, ["x"]);
        assert_eq!(words("${USER:+set}${MISSING:+no}").0, ["set"]);
        assert_eq!(words("${MISSING}x"), (vec!["x".into()], true));
        assert_eq!(words("'$VERSION' \\$VERSION").0, ["$VERSION", "$VERSION"]);
        assert_eq!(words("cost $ 5").0, ["cost", "$", "5"]);
        assert_eq!(words("${MISSING:-$USER}").0, ["app"]);
    }

    #[test]
    fn backtick_escape() {
        let lookup = |_: &str| None;
        let expanded = expand_words(r"C:\app a` b", '`', &lookup);
        assert_eq!(expanded.words, [r"C:\app", "a b"]);
    }
}
