//! Patch targets: group, version, kind, name and namespace as anchored regular expressions,
//! and Kubernetes label and annotation selectors.

use regex::Regex;
use serde_json::{Map, Value};

use super::resource::Resource;

#[derive(Debug, Clone, Default)]
pub struct Selector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

fn anchored(pattern: &str) -> Result<Option<Regex>, String> {
    if pattern.is_empty() {
        return Ok(None);
    }
    Regex::new(&format!("^(?:{pattern})$"))
        .map(Some)
        .map_err(|e| format!("invalid regular expression '{pattern}': {e}"))
}

fn matches(re: &Option<Regex>, s: &str) -> bool {
    re.as_ref().is_none_or(|re| re.is_match(s))
}

impl Selector {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        group: &str,
        version: &str,
        kind: &str,
        name: &str,
        namespace: &str,
        labels: &str,
        annotations: &str,
    ) -> Result<Selector, String> {
        Ok(Selector {
            group: anchored(group)?,
            version: anchored(version)?,
            kind: anchored(kind)?,
            name: anchored(name)?,
            namespace: anchored(namespace)?,
            labels: parse_requirements(labels)?,
            annotations: parse_requirements(annotations)?,
        })
    }

    /// Whether the resource is selected: its original or current namespace and name, its
    /// type, its labels and annotations.
    pub fn selects(&self, r: &Resource) -> bool {
        let (current, original) = (r.current_id(), r.original_id());
        (matches(&self.namespace, original.effective_namespace())
            || matches(&self.namespace, current.effective_namespace()))
            && (matches(&self.name, &original.name) || matches(&self.name, &current.name))
            && matches(&self.group, &current.gvk.group)
            && matches(&self.version, &current.gvk.version)
            && matches(&self.kind, &current.gvk.kind)
            && self.labels.iter().all(|q| q.holds(&r.labels()))
            && self.annotations.iter().all(|q| q.holds(&r.annotations()))
    }
}

#[derive(Debug, Clone)]
enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl Requirement {
    fn holds(&self, labels: &Map<String, Value>) -> bool {
        let get = |k: &str| labels.get(k).and_then(Value::as_str);
        match self {
            Requirement::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.iter().any(|x| x == v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }
}

/// Splits at commas outside parentheses.
fn split_top(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// A Kubernetes label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`,
/// `!a`, joined by commas.
fn parse_requirements(s: &str) -> Result<Vec<Requirement>, String> {
    if s.trim().is_empty() {
        return Ok(Vec::new());
    }
    let bad = || format!("invalid selector '{s}'");
    split_top(s)
        .into_iter()
        .map(|part| {
            let part = part.trim();
            if let Some(key) = part.strip_prefix('!') {
                return Ok(Requirement::DoesNotExist(key.trim().to_string()));
            }
            for (op, negate) in [("!=", true), ("==", false), ("=", false)] {
                if let Some((k, v)) = part.split_once(op) {
                    let (k, v) = (k.trim().to_string(), vec![v.trim().to_string()]);
                    return Ok(if negate {
                        Requirement::NotIn(k, v)
                    } else {
                        Requirement::In(k, v)
                    });
                }
            }
            let words: Vec<&str> = part.splitn(2, char::is_whitespace).collect();
            if let [key, rest] = words.as_slice() {
                let rest = rest.trim();
                let (negate, list) = if let Some(l) = rest.strip_prefix("notin") {
                    (true, l)
                } else if let Some(l) = rest.strip_prefix("in") {
                    (false, l)
                } else {
                    return Err(bad());
                };
                let list = list
                    .trim()
                    .strip_prefix('(')
                    .and_then(|l| l.strip_suffix(')'))
                    .ok_or_else(bad)?;
                let values = list.split(',').map(|v| v.trim().to_string()).collect();
                let key = key.to_string();
                return Ok(if negate {
                    Requirement::NotIn(key, values)
                } else {
                    Requirement::In(key, values)
                });
            }
            if part.is_empty() {
                return Err(bad());
            }
            Ok(Requirement::Exists(part.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_selectors_hold_as_kubernetes_defines_them() {
        let labels: Map<String, Value> =
            serde_json::from_str(r#"{"app":"web","tier":"front"}"#).unwrap();
        let holds = |s: &str| {
            parse_requirements(s)
                .unwrap()
                .iter()
                .all(|q| q.holds(&labels))
        };
        assert!(holds("app=web"));
        assert!(holds("app==web,tier in (front, back)"));
        assert!(holds("app,!missing"));
        assert!(!holds("app!=web"));
        assert!(!holds("tier notin (front)"));
        assert!(holds("missing notin (x)"));
    }
}
