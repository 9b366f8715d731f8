//! `labelSelector` and `fieldSelector` of lists and watches, as the API server reads them
//! (field selectors on `metadata.name` and `metadata.namespace`, which every kind supports).

use std::collections::HashMap;

use serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct Selector {
    labels: Vec<Requirement>,
    fields: Vec<(String, bool, String)>,
}

#[derive(Debug, Clone)]
enum Requirement {
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

impl Selector {
    pub fn parse(query: &HashMap<String, String>) -> Result<Selector, String> {
        let mut selector = Selector::default();
        if let Some(text) = query.get("labelSelector") {
            for part in split_outside_parens(text) {
                selector.labels.push(requirement(part.trim())?);
            }
        }
        if let Some(text) = query.get("fieldSelector") {
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                    (f, false, v)
                } else if let Some((f, v)) = part.split_once("==") {
                    (f, true, v)
                } else if let Some((f, v)) = part.split_once('=') {
                    (f, true, v)
                } else {
                    return Err(format!("invalid field selector: `{part}`"));
                };
                if !matches!(field, "metadata.name" | "metadata.namespace") {
                    return Err(format!(
                        "field label not supported: {field} (this server knows metadata.name and metadata.namespace)"
                    ));
                }
                selector
                    .fields
                    .push((field.to_owned(), equal, value.to_owned()));
            }
        }
        Ok(selector)
    }

    pub fn matches(&self, object: &Value) -> bool {
        let labels = &object["metadata"]["labels"];
        let label = |key: &str| labels[key].as_str();
        let labels_match = self.labels.iter().all(|requirement| match requirement {
            Requirement::Exists(key) => label(key).is_some(),
            Requirement::NotExists(key) => label(key).is_none(),
            Requirement::In(key, values) => {
                label(key).is_some_and(|v| values.iter().any(|w| w == v))
            }
            Requirement::NotIn(key, values) => {
                label(key).is_none_or(|v| values.iter().all(|w| w != v))
            }
        });
        let fields_match = self.fields.iter().all(|(field, equal, value)| {
            let key = field.trim_start_matches("metadata.");
            let actual = object["metadata"][key].as_str().unwrap_or_default();
            (actual == value) == *equal
        });
        labels_match && fields_match
    }
}

fn split_outside_parens(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn requirement(text: &str) -> Result<Requirement, String> {
    let values = |list: &str| -> Result<Vec<String>, String> {
        let inner = list
            .trim()
            .strip_prefix('(')
            .and_then(|l| l.strip_suffix(')'))
            .ok_or_else(|| format!("invalid label selector: `{text}`"))?;
        Ok(inner.split(',').map(|v| v.trim().to_owned()).collect())
    };
    if let Some(key) = text.strip_prefix('!') {
        return Ok(Requirement::NotExists(key.trim().to_owned()));
    }
    if let Some((key, list)) = text.split_once(" notin ") {
        return Ok(Requirement::NotIn(key.trim().to_owned(), values(list)?));
    }
    if let Some((key, list)) = text.split_once(" in ") {
        return Ok(Requirement::In(key.trim().to_owned(), values(list)?));
    }
    if let Some((key, value)) = text.split_once("!=") {
        return Ok(Requirement::NotIn(
            key.trim().to_owned(),
            vec![value.trim().to_owned()],
        ));
    }
    if let Some((key, value)) = text.split_once("==").or_else(|| text.split_once('=')) {
        return Ok(Requirement::In(
            key.trim().to_owned(),
            vec![value.trim().to_owned()],
        ));
    }
    Ok(Requirement::Exists(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn selector(labels: &str) -> Selector {
        Selector::parse(&HashMap::from([(
            "labelSelector".to_owned(),
            labels.to_owned(),
        )]))
        .unwrap()
    }

    #[test]
    fn label_requirements_are_all_met() {
        let object = json!({"metadata": {"labels": {"app": "web", "tier": "front"}}});
        assert!(selector("app=web,tier").matches(&object));
        assert!(selector("app in (web, api),!debug").matches(&object));
        assert!(!selector("app!=web").matches(&object));
        assert!(!selector("tier notin (front)").matches(&object));
        assert!(selector("debug notin (x)").matches(&object));
    }
}
