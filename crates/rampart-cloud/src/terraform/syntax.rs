//! Terraform files as blocks and attributes with positions, from native HCL (`.tf`, through
//! `hcl-edit`, which keeps byte spans) or JSON syntax (`.tf.json`, whose strings are
//! templates). Expressions stay unevaluated: what they mean depends on the module they are in.

use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::{Array, Expression, Object, ObjectKey, ObjectValue};
use hcl_edit::structure::{BlockLabel, Structure};
use hcl_edit::template::StringTemplate;
use rampart_core::Diagnostic;
use rampart_source::{Limits, Node, Value as JsonValue};

/// A line and column, both 1-based.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// The attributes and nested blocks of a file or block, in order.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    pub expr: Expression,
    pub at: LineCol,
}

#[derive(Debug, Clone)]
pub struct Block {
    /// `resource`, `variable`, `ingress`, ...
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub at: LineCol,
    /// The last line of the block (its closing brace); its first line for JSON syntax.
    pub end_line: u32,
}

impl Body {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

/// What a file holds: a configuration or variable values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// `.tf`, `.tf.json`: part of the module of its folder.
    Configuration,
    /// `.tfvars`, `.tfvars.json`: values for the root module's variables.
    Variables,
    /// `*_override.tf`: merged over the module's other files.
    Override,
}

/// One Terraform file, parsed.
#[derive(Debug, Clone)]
pub struct TerraformFile {
    /// As reports name it.
    pub path: Arc<str>,
    /// The absolute, normalised folder holding it: its module.
    pub folder: String,
    /// Its name in the folder.
    pub name: String,
    pub role: FileRole,
    pub body: Body,
    /// `# rampart:ignore` comments, by the line they stand on.
    pub ignores: Vec<(u32, String)>,
}

impl TerraformFile {
    /// Whether Terraform reads this variables file without being told (`terraform.tfvars`,
    /// `*.auto.tfvars` and their `.json` forms).
    pub fn is_automatic_variables(&self) -> bool {
        let name = self.name.as_str();
        matches!(name, "terraform.tfvars" | "terraform.tfvars.json")
            || name.ends_with(".auto.tfvars")
            || name.ends_with(".auto.tfvars.json")
    }
}

/// Reads a file's text; `None` with the error when it cannot be parsed at all.
pub fn parse_file(
    path: &str,
    folder: &str,
    name: &str,
    text: &str,
    limits: &Limits,
) -> Result<TerraformFile, Diagnostic> {
    let role = if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        FileRole::Variables
    } else if name.ends_with("_override.tf")
        || name.ends_with("_override.tf.json")
        || name == "override.tf"
        || name == "override.tf.json"
    {
        FileRole::Override
    } else {
        FileRole::Configuration
    };
    let body = if name.ends_with(".json") {
        json_body(path, text, limits)?
    } else {
        hcl_body(path, text)?
    };
    Ok(TerraformFile {
        path: Arc::from(path),
        folder: folder.to_owned(),
        name: name.to_owned(),
        role,
        body,
        ignores: ignore_comments(text),
    })
}

/// Start offsets of lines, to turn byte offsets into lines and columns.
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Lines(starts)
    }

    pub(crate) fn at(&self, offset: usize) -> LineCol {
        let line = self.0.partition_point(|&start| start <= offset);
        let start = self.0[line - 1];
        LineCol {
            line: line as u32,
            column: (offset - start + 1) as u32,
        }
    }
}

fn hcl_body(path: &str, text: &str) -> Result<Body, Diagnostic> {
    let body = hcl_edit::parser::parse_body(text).map_err(|error| {
        Diagnostic::error(
            path.to_owned(),
            Some(error.location().line() as u32),
            format!(
                "invalid HCL at column {}: {}",
                error.location().column(),
                error.message()
            ),
        )
    })?;
    let lines = Lines::new(text);
    Ok(convert_body(&body, &lines))
}

fn convert_body(body: &hcl_edit::structure::Body, lines: &Lines) -> Body {
    let mut converted = Body::default();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => converted.attributes.push(Attribute {
                name: attribute.key.as_str().to_owned(),
                expr: attribute.value.clone(),
                at: start_of(attribute.span(), lines),
            }),
            Structure::Block(block) => {
                let span = block.span();
                converted.blocks.push(Block {
                    kind: block.ident.as_str().to_owned(),
                    labels: block
                        .labels
                        .iter()
                        .map(|label| match label {
                            BlockLabel::Ident(ident) => ident.as_str().to_owned(),
                            BlockLabel::String(text) => text.value().clone(),
                        })
                        .collect(),
                    body: convert_body(&block.body, lines),
                    at: start_of(span.clone(), lines),
                    end_line: span
                        .map(|span| lines.at(span.end.saturating_sub(1)).line)
                        .unwrap_or(0),
                });
            }
        }
    }
    converted
}

fn start_of(span: Option<std::ops::Range<usize>>, lines: &Lines) -> LineCol {
    span.map(|span| lines.at(span.start)).unwrap_or_default()
}

/// `# rampart:ignore CODES -- reason` (also `//`) comments with the line they are on.
fn ignore_comments(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let line_text = line.trim_start();
            let comment = line_text
                .strip_prefix('#')
                .or_else(|| line_text.strip_prefix("//"))?;
            let rest = comment.trim_start().strip_prefix("rampart:ignore")?;
            Some((index as u32 + 1, rest.trim().to_owned()))
        })
        .collect()
}

/// The JSON syntax: the top-level object's keys are block types; `resource` and `data` nest
/// two labels, `module`, `variable`, `output` and `provider` one, `locals` and `terraform`
/// none. Inside a block every key is an attribute (JSON cannot tell a nested block from an
/// object attribute without the provider's schema; the model reads both the same way).
fn json_body(path: &str, text: &str, limits: &Limits) -> Result<Body, Diagnostic> {
    let (mut documents, error) = rampart_source::parse_stream(text, limits);
    if let Some(error) = error {
        return Err(Diagnostic::error(
            path.to_owned(),
            Some(error.line),
            format!("invalid JSON: {}", error.message),
        ));
    }
    let Some(root) = documents.pop().map(|document| document.root) else {
        return Ok(Body::default());
    };
    let JsonValue::Map(entries) = &root.value else {
        return Err(Diagnostic::error(
            path.to_owned(),
            Some(root.span.line),
            "a Terraform JSON file holds an object".to_owned(),
        ));
    };
    let mut body = Body::default();
    for entry in entries {
        let kind = entry.key.as_str();
        let depth = match kind {
            "resource" | "data" => 2,
            "module" | "variable" | "output" | "provider" => 1,
            "locals" | "terraform" => 0,
            // A `.tfvars.json` file: variable values.
            _ => {
                body.attributes.push(json_attribute(kind, &entry.value));
                continue;
            }
        };
        json_blocks(kind, &entry.value, depth, Vec::new(), &mut body.blocks);
    }
    Ok(body)
}

fn json_blocks(kind: &str, node: &Node, depth: usize, labels: Vec<String>, into: &mut Vec<Block>) {
    if depth == 0 {
        // A block may be given as an array of objects (several `provider` blocks).
        for item in node_items(node) {
            let mut body = Body::default();
            if let JsonValue::Map(entries) = &item.value {
                for entry in entries {
                    body.attributes
                        .push(json_attribute(&entry.key, &entry.value));
                }
            }
            into.push(Block {
                kind: kind.to_owned(),
                labels: labels.clone(),
                body,
                at: LineCol {
                    line: item.span.line,
                    column: item.span.column,
                },
                end_line: item.span.line,
            });
        }
        return;
    }
    if let JsonValue::Map(entries) = &node.value {
        for entry in entries {
            let mut labels = labels.clone();
            labels.push(entry.key.to_string());
            json_blocks(kind, &entry.value, depth - 1, labels, into);
        }
    }
}

fn node_items(node: &Node) -> Vec<&Node> {
    match &node.value {
        JsonValue::Seq(items) => items.iter().collect(),
        _ => vec![node],
    }
}

fn json_attribute(name: &str, node: &Node) -> Attribute {
    Attribute {
        name: name.to_owned(),
        expr: json_expression(node),
        at: LineCol {
            line: node.span.line,
            column: node.span.column,
        },
    }
}

/// A JSON value as the expression it stands for: strings are templates.
fn json_expression(node: &Node) -> Expression {
    match &node.value {
        JsonValue::Null => Expression::null(),
        JsonValue::Bool(value) => Expression::from(*value),
        JsonValue::Int(value) => Expression::from(*value),
        JsonValue::Float(value) => Expression::from(*value),
        JsonValue::String(text) => {
            if text.contains("${") || text.contains("%{") {
                match hcl_edit::parser::parse_template(text) {
                    Ok(template) => Expression::from(StringTemplate::from(template)),
                    Err(_) => Expression::from(text.to_string()),
                }
            } else {
                Expression::from(text.to_string())
            }
        }
        JsonValue::Seq(items) => {
            Expression::from(items.iter().map(json_expression).collect::<Array>())
        }
        JsonValue::Map(entries) => {
            let mut object = Object::new();
            for entry in entries {
                object.insert(
                    ObjectKey::from(Expression::from(entry.key.to_string())),
                    ObjectValue::new(json_expression(&entry.value)),
                );
            }
            Expression::from(object)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_attributes_keep_their_lines() {
        let text = "variable \"name\" {\n  default = \"x\"\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = var.name\n  versioning {\n    enabled = true\n  }\n}\n";
        let file = parse_file("main.tf", "/m", "main.tf", text, &Limits::default()).unwrap();
        let resource = &file.body.blocks[1];
        assert_eq!(resource.kind, "resource");
        assert_eq!(resource.labels, ["aws_s3_bucket", "b"]);
        assert_eq!(resource.at, LineCol { line: 5, column: 1 });
        assert_eq!(resource.end_line, 10);
        assert_eq!(resource.body.attributes[0].at.line, 6);
        assert_eq!(resource.body.blocks[0].at, LineCol { line: 7, column: 3 });
    }

    #[test]
    fn json_syntax_nests_labels_by_block_type() {
        let text = r#"{"resource": {"aws_s3_bucket": {"b": {"bucket": "${var.name}-logs"}}},
                       "locals": {"x": 1}}"#;
        let file = parse_file(
            "main.tf.json",
            "/m",
            "main.tf.json",
            text,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(file.body.blocks[0].labels, ["aws_s3_bucket", "b"]);
        assert_eq!(file.body.blocks[1].kind, "locals");
        assert!(matches!(
            file.body.blocks[0].body.attributes[0].expr,
            Expression::StringTemplate(_)
        ));
    }

    #[test]
    fn malformed_hcl_is_an_error_with_its_line() {
        let error = parse_file(
            "bad.tf",
            "/m",
            "bad.tf",
            "resource \"a\" \"b\" {\n  x = \n}\n",
            &Limits::default(),
        )
        .unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(
            error.message.starts_with("invalid HCL"),
            "{}",
            error.message
        );
    }
}
