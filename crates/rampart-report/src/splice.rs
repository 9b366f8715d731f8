//! Large arrays of a pretty-printed JSON document, serialised in parallel. A report holds a
//! hundred thousand findings for ten thousand workloads (over a hundred megabytes of text):
//! serialising them on one thread is a third of a scan, and building the whole document first
//! would double its memory. Instead the document is rendered with the array empty, and the
//! items are written into that slot in bounded batches, each split across threads. The bytes
//! are exactly those of serialising the whole document at once.

use std::io::{self, Write};

use rayon::prelude::*;

/// Items serialised together by one thread.
const CHUNK: usize = 256;
/// Items held serialised in memory before they are written.
const BATCH: usize = 8 * CHUNK;

/// Writes `shell` with the empty array under `key` replaced by `items`, each pretty-printed by
/// `pretty` (`serde_json::to_vec_pretty` of the item's serialisable form). The key must occur
/// once with an empty array (`"key": []`); quotes inside JSON strings are escaped, so only a
/// key can match.
pub(crate) fn write_spliced<T: Sync>(
    shell: &str,
    key: &str,
    items: &[T],
    pretty: impl Fn(&T) -> serde_json::Result<Vec<u8>> + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    let slot = format!("\"{key}\": []");
    let at = shell
        .find(&slot)
        .unwrap_or_else(|| panic!("the shell has no empty `{key}` array"));
    let array = at + slot.len() - 2;
    // The pretty printer indents an array's items two spaces deeper than its key.
    let line_start = shell[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let indent = " ".repeat(at - line_start);
    out.write_all(&shell.as_bytes()[..array])?;
    if items.is_empty() {
        out.write_all(b"[]")?;
    } else {
        let item_indent = format!("{indent}  ");
        out.write_all(b"[\n")?;
        for (index, batch) in items.chunks(BATCH).enumerate() {
            let rendered: Vec<Vec<u8>> = batch
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut buffer = Vec::with_capacity(chunk.len() * 1024);
                    for (position, item) in chunk.iter().enumerate() {
                        if position > 0 {
                            buffer.extend_from_slice(b",\n");
                        }
                        let text = pretty(item).expect("report items serialise");
                        indented(&text, &item_indent, &mut buffer);
                    }
                    buffer
                })
                .collect();
            for (position, buffer) in rendered.iter().enumerate() {
                if index > 0 || position > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(buffer)?;
            }
        }
        write!(out, "\n{indent}]")?;
    }
    out.write_all(&shell.as_bytes()[array + 2..])
}

/// One pretty-printed item, shifted right by `indent`.
fn indented(text: &[u8], indent: &str, buffer: &mut Vec<u8>) {
    for (index, line) in text.split(|&byte| byte == b'\n').enumerate() {
        if index > 0 {
            buffer.push(b'\n');
        }
        buffer.extend_from_slice(indent.as_bytes());
        buffer.extend_from_slice(line);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Splices `items` into `document` at `runs[0].results`, and serialises the document with
    /// the items in place; both must give the same bytes.
    fn both_ways(items: Vec<serde_json::Value>) -> (Vec<u8>, Vec<u8>) {
        let mut document = json!({
            "version": "2.1.0",
            "runs": [{"tool": {"name": "rampart", "rules": []}, "results": [], "after": {"k": [1]}}]
        });
        let shell = serde_json::to_string_pretty(&document).unwrap();
        let mut spliced = Vec::new();
        write_spliced(
            &shell,
            "results",
            &items,
            serde_json::to_vec_pretty,
            &mut spliced,
        )
        .unwrap();
        document["runs"][0]["results"] = serde_json::Value::Array(items);
        (spliced, serde_json::to_vec_pretty(&document).unwrap())
    }

    #[test]
    fn nested_arrays_splice_to_the_same_bytes() {
        // Across chunk and batch seams, with nested objects and empty containers inside items.
        let items: Vec<_> = (0..BATCH + CHUNK + 7)
            .map(|i| json!({"ruleId": format!("K{i}"), "locations": [{"uri": "a.yaml"}], "tags": [], "x": {}}))
            .collect();
        let (spliced, whole) = both_ways(items);
        assert!(spliced == whole, "spliced document differs");
        let (spliced, whole) = both_ways(Vec::new());
        assert_eq!(
            String::from_utf8(spliced).unwrap(),
            String::from_utf8(whole).unwrap()
        );
    }
}
