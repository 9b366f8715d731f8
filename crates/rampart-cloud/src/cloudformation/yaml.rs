//! CloudFormation YAML: the short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub "..."`, `!If [..]`)
//! read as the long forms they abbreviate (`{Ref: X}`, `{"Fn::GetAtt": [A, B]}`), with
//! positions. CloudFormation accepts neither anchors nor aliases; they are refused.

use rampart_source::{Entry, Limits, Node, Span, Text, Value};
use saphyr_parser::{Event, Parser, ScalarStyle};

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 256;

/// A YAML or JSON template as one node tree; an error with its line.
pub fn parse(text: &str, limits: &Limits) -> Result<Node, (u32, String)> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    let mut nodes = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| (e.marker().line() as u32, e.info().to_owned()))?;
        let at = Span::new(span.start.line() as u32, span.start.col() as u32 + 1);
        nodes += 1;
        if nodes > limits.max_alias_nodes.max(1_000_000) {
            return Err((at.line, "the template is too large".to_owned()));
        }
        let is_sequence = matches!(event, Event::SequenceStart(..));
        let complete = match event {
            Event::DocumentStart(_) if root.is_some() => {
                return Err((at.line, "a template is one YAML document".to_owned()));
            }
            Event::Scalar(text, style, anchor, tag) => {
                refuse_anchor(anchor, at)?;
                let is_key = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
                let value = if is_key || style != ScalarStyle::Plain {
                    Value::String(Text::from(text.as_ref()))
                } else {
                    plain_scalar(&text)
                };
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                Some(tagged(Node::new(value, at), tag.as_deref()))
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                refuse_anchor(anchor, at)?;
                if stack.len() >= MAX_DEPTH {
                    return Err((at.line, format!("nesting deeper than {MAX_DEPTH}")));
                }
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                stack.push(if is_sequence {
                    Frame::Seq {
                        items: Vec::new(),
                        at,
                        tag,
                    }
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        at,
                        tag,
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { items, at, tag }) => {
                    Some(tagged(Node::new(Value::Seq(items), at), tag.as_deref()))
                }
                Some(Frame::Map {
                    entries, at, tag, ..
                }) => Some(tagged(Node::new(Value::Map(entries), at), tag.as_deref())),
                None => return Err((at.line, "unbalanced collection end".to_owned())),
            },
            Event::Alias(_) => {
                return Err((
                    at.line,
                    "CloudFormation does not accept YAML aliases".to_owned(),
                ));
            }
            _ => None,
        };
        let Some(node) = complete else { continue };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    let text = match &node.value {
                        Value::String(text) => text.clone(),
                        other => Text::from(format!("{other:?}")),
                    };
                    *key = Some((text, node.span));
                }
                Some((text, key_span)) => {
                    if entries.iter().any(|e: &Entry| e.key == text) {
                        return Err((key_span.line, format!("duplicate key `{text}`")));
                    }
                    entries.push(Entry {
                        key: text,
                        key_span,
                        value: node,
                    });
                }
            },
        }
    }
    Ok(root.unwrap_or_else(|| Node::new(Value::Null, Span::new(1, 1))))
}

enum Frame {
    Seq {
        items: Vec<Node>,
        at: Span,
        tag: Option<String>,
    },
    Map {
        entries: Vec<Entry>,
        key: Option<(Text, Span)>,
        at: Span,
        tag: Option<String>,
    },
}

fn refuse_anchor(anchor: usize, at: Span) -> Result<(), (u32, String)> {
    if anchor == 0 {
        Ok(())
    } else {
        Err((
            at.line,
            "CloudFormation does not accept YAML anchors".to_owned(),
        ))
    }
}

/// Plain scalars as CloudFormation reads them: booleans, numbers and null are typed, the rest
/// is text.
fn plain_scalar(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Ok(int) = text.parse::<i64>() {
                Value::Int(int)
            } else if text.contains('.')
                && let Ok(float) = text.parse::<f64>()
                && !text.ends_with('.')
            {
                Value::Float(float)
            } else {
                Value::String(Text::from(text))
            }
        }
    }
}

/// A node with a short-form tag as the long form it stands for.
fn tagged(node: Node, tag: Option<&str>) -> Node {
    let Some(tag) = tag.and_then(|t| t.strip_prefix('!')) else {
        return node;
    };
    if tag.starts_with('!') || tag.is_empty() {
        // A YAML core tag (`!!str`): the value as it is.
        return node;
    }
    let span = node.span;
    let (key, value) = match tag {
        "Ref" => ("Ref".to_owned(), node),
        "Condition" => ("Condition".to_owned(), node),
        "GetAtt" => {
            // `!GetAtt Resource.Attribute` is `[Resource, Attribute]`.
            let value = match &node.value {
                Value::String(text) => match text.split_once('.') {
                    Some((resource, attribute)) => Node::new(
                        Value::Seq(vec![
                            Node::new(Value::String(Text::from(resource)), span),
                            Node::new(Value::String(Text::from(attribute)), span),
                        ]),
                        span,
                    ),
                    None => node,
                },
                _ => node,
            };
            ("Fn::GetAtt".to_owned(), value)
        }
        other => (format!("Fn::{other}"), node),
    };
    Node::new(
        Value::Map(vec![Entry {
            key: Text::from(key),
            key_span: span,
            value,
        }]),
        span,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_long_forms() {
        let text = "A: !Ref Name\nB: !GetAtt Role.Arn\nC: !Sub 'arn:${AWS::Partition}'\nD: !If [IsProd, 1, !Ref AWS::NoValue]\n";
        let node = parse(text, &Limits::default()).unwrap();
        let json = |key: &str| format!("{:?}", node.get(key).unwrap().value);
        assert!(json("A").contains("\"Ref\""), "{}", json("A"));
        let b = node.get("B").unwrap().get("Fn::GetAtt").unwrap();
        assert_eq!(b.items()[1].as_str(), Some("Arn"));
        assert!(node.get("C").unwrap().get("Fn::Sub").is_some());
        let d = node.get("D").unwrap().get("Fn::If").unwrap();
        assert!(d.items()[2].get("Ref").is_some());
        assert_eq!(node.get("D").unwrap().span.line, 4);
    }

    #[test]
    fn aliases_and_duplicates_are_errors_with_lines() {
        assert_eq!(
            parse("a: &x 1\nb: *x\n", &Limits::default()).unwrap_err().0,
            1
        );
        assert_eq!(parse("a: 1\na: 2\n", &Limits::default()).unwrap_err().0, 2);
    }
}
