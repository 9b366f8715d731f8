//! Label selectors, as ClusterRole aggregation evaluates them: every `matchLabels` pair and every
//! `matchExpressions` requirement must hold; an empty selector selects everything.

use rampart_source::{Node, push_pointer};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

/// Why a selector is invalid, with the pointer of the offending field (relative to the
/// selector's pointer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    pub pointer: String,
    pub message: String,
}

impl LabelSelector {
    /// Parses a selector node found at `pointer`.
    pub fn parse(node: &Node, pointer: &str) -> Result<LabelSelector, SelectorError> {
        let fail = |pointer: String, message: String| Err(SelectorError { pointer, message });
        if node.as_map().is_none() {
            return fail(
                pointer.to_owned(),
                format!(
                    "a label selector must be an object, found {}",
                    node.type_name()
                ),
            );
        }
        let mut requirements = Vec::new();
        if let Some(labels) = node.get("matchLabels").filter(|n| !n.is_null()) {
            let pointer = push_pointer(pointer, "matchLabels");
            let Some(entries) = labels.as_map() else {
                return fail(pointer, "matchLabels must be an object".to_owned());
            };
            for entry in entries {
                let Some(value) = entry.value.as_str() else {
                    return fail(
                        push_pointer(&pointer, &entry.key),
                        format!(
                            "label values are strings, found {}",
                            entry.value.type_name()
                        ),
                    );
                };
                requirements.push(Requirement::Equals(entry.key.to_string(), value.to_owned()));
            }
        }
        if let Some(expressions) = node.get("matchExpressions").filter(|n| !n.is_null()) {
            let pointer = push_pointer(pointer, "matchExpressions");
            let Some(items) = expressions.as_seq() else {
                return fail(pointer, "matchExpressions must be an array".to_owned());
            };
            for (index, item) in items.iter().enumerate() {
                let pointer = push_pointer(&pointer, index);
                requirements.push(parse_expression(item).map_err(|message| SelectorError {
                    pointer: pointer.clone(),
                    message,
                })?);
            }
        }
        Ok(LabelSelector { requirements })
    }

    /// Whether the selector has no requirement: it matches everything.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let get = |key: &str| labels.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        self.requirements
            .iter()
            .all(|requirement| match requirement {
                Requirement::Equals(key, value) => get(key) == Some(value),
                Requirement::In(key, values) => get(key).is_some_and(|v| values.contains(v)),
                Requirement::NotIn(key, values) => get(key).is_none_or(|v| !values.contains(v)),
                Requirement::Exists(key) => get(key).is_some(),
                Requirement::DoesNotExist(key) => get(key).is_none(),
            })
    }
}

fn parse_expression(item: &Node) -> Result<Requirement, String> {
    let key = item
        .get("key")
        .and_then(Node::as_str)
        .filter(|k| !k.is_empty())
        .ok_or("a match expression needs a `key`")?
        .to_owned();
    let operator = item
        .get("operator")
        .and_then(Node::as_str)
        .ok_or("a match expression needs an `operator`")?;
    let values = match item.get("values").filter(|n| !n.is_null()) {
        None => Vec::new(),
        Some(values) => values
            .as_seq()
            .ok_or("`values` must be an array")?
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or("`values` holds strings")
            })
            .collect::<Result<_, _>>()?,
    };
    match operator {
        "In" | "NotIn" if values.is_empty() => {
            Err(format!("operator {operator} needs at least one value"))
        }
        "In" => Ok(Requirement::In(key, values)),
        "NotIn" => Ok(Requirement::NotIn(key, values)),
        "Exists" | "DoesNotExist" if !values.is_empty() => {
            Err(format!("operator {operator} takes no values"))
        }
        "Exists" => Ok(Requirement::Exists(key)),
        "DoesNotExist" => Ok(Requirement::DoesNotExist(key)),
        other => Err(format!(
            "unknown operator `{other}` (In, NotIn, Exists, DoesNotExist)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    fn selector(yaml: &str) -> Result<LabelSelector, SelectorError> {
        let text = format!("apiVersion: v1\nkind: X\nmetadata: {{name: x}}\nselector: {yaml}\n");
        let (objects, _) = parse_text("s.yaml", &text, &Limits::default());
        LabelSelector::parse(objects[0].root.get("selector").unwrap(), "/selector")
    }

    fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn labels_and_expressions_must_all_hold() {
        let s = selector(
            "{matchLabels: {a: '1'}, matchExpressions: [{key: b, operator: In, values: [x, w]}, \
             {key: c, operator: NotIn, values: [z]}, {key: d, operator: DoesNotExist}]}",
        )
        .unwrap();
        assert!(s.matches(&labels(&[("a", "1"), ("b", "w")])));
        assert!(!s.matches(&labels(&[("a", "1"), ("b", "w"), ("c", "z")])));
        assert!(!s.matches(&labels(&[("a", "1"), ("b", "w"), ("d", "")])));
        assert!(!s.matches(&labels(&[("a", "2"), ("b", "w")])));
        assert!(selector("{}").unwrap().matches(&[]));
        let exists = selector("{matchExpressions: [{key: a, operator: Exists}]}").unwrap();
        assert!(exists.matches(&labels(&[("a", "")])) && !exists.matches(&[]));
    }

    #[test]
    fn invalid_selectors_say_where() {
        let error = selector("{matchExpressions: [{key: a, operator: Near}]}").unwrap_err();
        assert_eq!(error.pointer, "/selector/matchExpressions/0");
        assert!(error.message.contains("Near"));
        assert!(selector("{matchExpressions: [{key: a, operator: In}]}").is_err());
        assert!(selector("{matchLabels: [a]}").is_err());
    }
}
