//! The first pass over a Dockerfile, as BuildKit's parser does it: parser directives at the
//! top, then logical lines (physical lines joined at the escape character, with comment lines
//! inside a continuation dropped), each with the here-documents that follow it.

/// The parser directives at the top of a Dockerfile (`# syntax=`, `# escape=`, `# check=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    pub syntax: Option<String>,
    /// `\` unless `# escape=` chose the backtick.
    pub escape: char,
    pub check: Option<String>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            syntax: None,
            escape: '\\',
            check: None,
        }
    }
}

/// One instruction's text before it is interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogicalLine {
    /// 1-based line and column of the keyword.
    pub line: u32,
    pub column: u32,
    /// The last physical line, here-documents included.
    pub end_line: u32,
    /// The instruction with continuations joined (escape and newline removed).
    pub text: String,
    pub heredocs: Vec<Heredoc>,
}

/// A here-document (`<<EOF` ... `EOF`) attached to a `RUN`, `COPY` or `ADD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word, without quotes.
    pub name: String,
    pub body: String,
    /// Whether variables in the body are expanded (the delimiter was not quoted).
    pub expand: bool,
}

/// A comment line, kept for inline suppressions (`# rampart:ignore D101 -- reason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub line: u32,
    /// The text after `#`, trimmed.
    pub text: String,
}

/// A problem found while splitting lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineError {
    pub line: u32,
    pub message: String,
}

/// The result of the first pass.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    pub directives: Directives,
    pub lines: Vec<LogicalLine>,
    pub comments: Vec<Comment>,
    pub errors: Vec<LineError>,
}

/// Instructions that take here-documents.
const HEREDOC_KEYWORDS: [&str; 3] = ["RUN", "COPY", "ADD"];

pub(crate) fn split(text: &str) -> Lines {
    let physical: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    let mut out = Lines::default();
    let mut index = directives(&physical, &mut out.directives);
    let escape = out.directives.escape;
    while index < physical.len() {
        let line = physical[index];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            index += 1;
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            out.comments.push(Comment {
                line: line_number(index),
                text: comment.trim().to_owned(),
            });
            index += 1;
            continue;
        }
        let start = index;
        let column = 1 + (line.len() - trimmed.len()) as u32;
        let mut joined = String::new();
        let mut current = trimmed;
        loop {
            match continued(current, escape) {
                Some(head) => {
                    joined.push_str(head);
                    index += 1;
                    // Comment and empty lines inside a continuation are dropped.
                    while index < physical.len() && is_skipped_in_continuation(physical[index]) {
                        index += 1;
                    }
                    match physical.get(index) {
                        Some(next) => current = next,
                        None => break,
                    }
                }
                None => {
                    joined.push_str(current);
                    index += 1;
                    break;
                }
            }
        }
        let keyword = joined
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let mut heredocs = Vec::new();
        if HEREDOC_KEYWORDS.contains(&keyword.as_str()) {
            for (name, strip_tabs, expand) in heredoc_markers(&joined, escape) {
                let opened = line_number(index.saturating_sub(1));
                let mut body = String::new();
                let mut closed = false;
                while index < physical.len() {
                    let line = physical[index];
                    index += 1;
                    let line = if strip_tabs {
                        line.trim_start_matches('\t')
                    } else {
                        line
                    };
                    if line == name {
                        closed = true;
                        break;
                    }
                    body.push_str(line);
                    body.push('\n');
                }
                if !closed {
                    out.errors.push(LineError {
                        line: opened,
                        message: format!(
                            "here-document `<<{name}` is never terminated (no line `{name}` \
                             before the end of the file)"
                        ),
                    });
                }
                heredocs.push(Heredoc { name, body, expand });
            }
        }
        out.lines.push(LogicalLine {
            line: line_number(start),
            column,
            end_line: line_number(index.saturating_sub(1)),
            text: joined,
            heredocs,
        });
    }
    out
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Reads the parser directives at the top; returns the index of the first other line. As in
/// BuildKit, directives end at the first line that is not one (a blank line, an instruction, or
/// any other comment), and a directive given twice ends them too.
fn directives(physical: &[&str], directives: &mut Directives) -> usize {
    let mut seen = Vec::new();
    for (index, line) in physical.iter().enumerate() {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            return index;
        };
        let Some((key, value)) = comment.split_once('=') else {
            return index;
        };
        let key = key.trim().to_ascii_lowercase();
        if key.contains(char::is_whitespace) || seen.contains(&key) {
            return index;
        }
        let value = value.trim();
        match key.as_str() {
            "syntax" => directives.syntax = Some(value.to_owned()),
            "check" => directives.check = Some(value.to_owned()),
            "escape" => match value {
                "\\" => directives.escape = '\\',
                "`" => directives.escape = '`',
                // An invalid escape is an error for BuildKit; the line stays a comment here
                // and the default applies.
                _ => return index,
            },
            _ => return index,
        }
        seen.push(key);
    }
    physical.len()
}

/// The line without its trailing escape character, when it continues on the next line.
fn continued(line: &str, escape: char) -> Option<&str> {
    line.trim_end_matches([' ', '\t']).strip_suffix(escape)
}

fn is_skipped_in_continuation(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// The here-document markers of an instruction, in order: `<<EOF`, `<<-EOF` (strip leading
/// tabs), `<<"EOF"` / `<<'EOF'` (no expansion), optionally after a file descriptor (`3<<EOF`).
/// Markers inside quotes do not count, nor `<<<` (a here-string).
fn heredoc_markers(text: &str, escape: char) -> Vec<(String, bool, bool)> {
    let mut markers = Vec::new();
    for word in split_words_raw(text, escape) {
        let digits = word.chars().take_while(char::is_ascii_digit).count();
        let Some(rest) = word[digits..].strip_prefix("<<") else {
            continue;
        };
        if rest.starts_with('<') {
            continue;
        }
        let (strip_tabs, rest) = match rest.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let quoted = rest.contains(['"', '\'']);
        let name: String = rest.chars().filter(|c| !matches!(c, '"' | '\'')).collect();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.".contains(c))
        {
            continue;
        }
        markers.push((name, strip_tabs, !quoted));
    }
    markers
}

/// Words split at unquoted whitespace, quotes kept (only to find markers outside quotes).
fn split_words_raw(text: &str, escape: char) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == escape && quote != Some('\'') {
            escaped = true;
            start.get_or_insert(i);
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            None if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(&text[s..i]);
                }
            }
            None => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    // A quoted `"<<EOF"` is a word starting with a quote, not a marker.
    words.retain(|w| !w.starts_with(['"', '\'']));
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_then_continuations_and_comments() {
        let text = "# syntax=docker/dockerfile:1\n# escape=`\n\nFROM alpine\nRUN apk add `\n  # a comment\n\n  curl\n# rampart:ignore D101\nUSER app\n";
        let lines = split(text);
        assert_eq!(
            lines.directives.syntax.as_deref(),
            Some("docker/dockerfile:1")
        );
        assert_eq!(lines.directives.escape, '`');
        let texts: Vec<_> = lines.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["FROM alpine", "RUN apk add   curl", "USER app"]);
        assert_eq!(
            (lines.lines[1].line, lines.lines[1].end_line),
            (5, 8),
            "RUN spans its continuation"
        );
        assert_eq!(lines.lines[2].line, 10);
        let comments: Vec<_> = lines
            .comments
            .iter()
            .map(|c| (c.line, c.text.as_str()))
            .collect();
        assert_eq!(
            comments,
            [(9, "rampart:ignore D101")],
            "directives are not comments"
        );
    }

    #[test]
    fn directives_end_at_the_first_other_line() {
        let lines = split("# hello\n# escape=`\nFROM x\n");
        assert_eq!(lines.directives.escape, '\\');
        let lines = split("FROM x\n# escape=`\n");
        assert_eq!(lines.directives.escape, '\\');
    }

    #[test]
    fn heredocs_anywhere_on_the_line() {
        let text = "FROM x\nRUN python3 <<EOF && cat <<-'END' > /f\nprint(1)\nEOF\n\tliteral $HOME\n\tEND\nCOPY <<EOF /etc/motd\nhi\nEOF\nRUN echo '<<NOT' done\n";
        let lines = split(text);
        assert_eq!(lines.errors, []);
        let run = &lines.lines[1];
        assert_eq!(run.heredocs.len(), 2);
        assert_eq!(run.heredocs[0].name, "EOF");
        assert_eq!(run.heredocs[0].body, "print(1)\n");
        assert!(run.heredocs[0].expand);
        assert_eq!(run.heredocs[1].body, "literal $HOME\n");
        assert!(!run.heredocs[1].expand);
        assert_eq!(run.end_line, 6);
        assert_eq!(lines.lines[2].heredocs[0].body, "hi\n");
        assert_eq!(lines.lines[3].heredocs, []);
        assert_eq!(lines.lines.len(), 4);
    }

    #[test]
    fn unterminated_heredoc_is_an_error_at_its_line() {
        let lines = split("FROM x\nRUN <<EOF\necho hi\n");
        assert_eq!(lines.errors.len(), 1);
        assert_eq!(lines.errors[0].line, 2);
        assert!(lines.errors[0].message.contains("<<EOF"));
    }
}
