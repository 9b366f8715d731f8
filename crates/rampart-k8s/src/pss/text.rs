//! The wording helpers behind the upstream messages, so every check phrases lists, plurals and
//! quoted values the same way `kubectl` users see them from the admission controller.

use std::borrow::Cow;
use std::fmt::Write;

use rampart_source::Node;

pub(super) fn plural<'s>(count: usize, one: &'s str, many: &'s str) -> &'s str {
    if count == 1 { one } else { many }
}

/// `"a", "b"`: each item in double quotes, unescaped, comma-separated.
pub(super) fn quoted_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let quoted: Vec<String> = items
        .into_iter()
        .map(|item| format!("\"{}\"", item.as_ref()))
        .collect();
    quoted.join(", ")
}

/// `container "a"` or `containers "a", "b"`.
pub(super) fn containers_phrase<S: AsRef<str>>(names: &[S]) -> String {
    format!(
        "{} {}",
        plural(names.len(), "container", "containers"),
        quoted_list(names)
    )
}

/// `volume "a"` or `volumes "a", "b"`.
pub(super) fn volumes_phrase<S: AsRef<str>>(names: &[S]) -> String {
    format!(
        "{} {}",
        plural(names.len(), "volume", "volumes"),
        quoted_list(names)
    )
}

/// The text of a string field. Null and missing read as the empty string, like an unset Go
/// string; a value of another type is compared by its rendering, so a mistyped field never
/// matches an allowed value and never looks empty.
pub(super) fn scalar_text(node: Option<&Node>) -> Cow<'_, str> {
    match node {
        None => Cow::Borrowed(""),
        Some(node) if node.is_null() => Cow::Borrowed(""),
        Some(node) => match node.as_str() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(node.display_scalar()),
        },
    }
}

/// A string in double quotes with Go's escaping rules, as upstream prints annotation values.
pub(super) fn go_quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for ch in text.chars() {
        match ch {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\u{7}' => quoted.push_str("\\a"),
            '\u{8}' => quoted.push_str("\\b"),
            '\u{c}' => quoted.push_str("\\f"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '\u{b}' => quoted.push_str("\\v"),
            ch if (ch as u32) < 0x20 || ch == '\u{7f}' => {
                let _ = write!(quoted, "\\x{:02x}", ch as u32);
            }
            ch if ch.is_control() => {
                let code = ch as u32;
                let _ = if code <= 0xffff {
                    write!(quoted, "\\u{code:04x}")
                } else {
                    write!(quoted, "\\U{code:08x}")
                };
            }
            ch => quoted.push(ch),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_plurals_read_like_upstream() {
        assert_eq!(containers_phrase(&["a"]), r#"container "a""#);
        assert_eq!(containers_phrase(&["a", "b"]), r#"containers "a", "b""#);
        assert_eq!(quoted_list(Vec::<String>::new()), "");
    }

    #[test]
    fn go_quoting_escapes_like_strconv_quote() {
        assert_eq!(go_quote("unconfined"), r#""unconfined""#);
        assert_eq!(go_quote("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\x01""#);
        assert_eq!(go_quote("é"), "\"é\"");
    }
}
