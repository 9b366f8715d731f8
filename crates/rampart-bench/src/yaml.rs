use std::fmt::{Display, Write};

/// Writes block-style YAML line by line, keeping track of indentation and of the `- ` that
/// opens a sequence item, so that generators can nest without counting spaces.
#[derive(Debug, Default)]
pub struct YamlWriter {
    text: String,
    indent: usize,
    /// The next line opens a sequence item.
    item_pending: bool,
}

impl YamlWriter {
    pub fn new() -> YamlWriter {
        YamlWriter::default()
    }

    pub fn into_string(self) -> String {
        self.text
    }

    /// `key: value`; `value` is already YAML (quote strings that need it).
    pub fn field(&mut self, key: &str, value: impl Display) {
        self.start_line();
        writeln!(self.text, "{key}: {value}").expect("writing to a String cannot fail");
    }

    /// `key: "value"`.
    pub fn quoted(&mut self, key: &str, value: impl Display) {
        self.field(key, format_args!("\"{value}\""));
    }

    /// `key:` followed by a nested block.
    pub fn block(&mut self, key: &str, body: impl FnOnce(&mut YamlWriter)) {
        self.start_line();
        writeln!(self.text, "{key}:").expect("writing to a String cannot fail");
        self.nested(2, body);
    }

    /// A sequence item whose content is a mapping.
    pub fn item(&mut self, body: impl FnOnce(&mut YamlWriter)) {
        self.item_pending = true;
        self.nested(2, body);
    }

    /// A sequence item holding one scalar.
    pub fn scalar_item(&mut self, value: impl Display) {
        self.item_pending = true;
        self.indent += 2;
        self.start_line();
        self.indent -= 2;
        writeln!(self.text, "{value}").expect("writing to a String cannot fail");
    }

    /// `key: |` followed by literal text lines.
    pub fn literal(&mut self, key: &str, lines: &[String]) {
        self.field(key, "|");
        self.indent += 2;
        for line in lines {
            self.start_line();
            self.text.push_str(line);
            self.text.push('\n');
        }
        self.indent -= 2;
    }

    fn nested(&mut self, by: usize, body: impl FnOnce(&mut YamlWriter)) {
        self.indent += by;
        body(self);
        self.indent -= by;
    }

    fn start_line(&mut self) {
        if self.item_pending {
            self.item_pending = false;
            self.pad(self.indent - 2);
            self.text.push_str("- ");
        } else {
            self.pad(self.indent);
        }
    }

    fn pad(&mut self, width: usize) {
        self.text.extend(std::iter::repeat_n(' ', width));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nests_mappings_and_sequences() {
        let mut yaml = YamlWriter::new();
        yaml.field("kind", "Pod");
        yaml.block("spec", |spec| {
            spec.block("containers", |containers| {
                containers.item(|c| {
                    c.field("name", "app");
                    c.block("args", |args| args.scalar_item("--port=80"));
                });
            });
            spec.literal("script", &["echo hi".to_owned()]);
        });
        assert_eq!(
            yaml.into_string(),
            "kind: Pod\nspec:\n  containers:\n    - name: app\n      args:\n        - --port=80\n  script: |\n    echo hi\n"
        );
    }
}
