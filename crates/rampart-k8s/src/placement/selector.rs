//! Node selector requirements (`nodeSelector`, required node affinity, `nodeName`) as the
//! scheduler evaluates them against a node, and whether some node could satisfy a set of them
//! at all.

use std::collections::BTreeMap;

use rampart_source::{Node, push_pointer};

/// What a requirement looks at: a node label, or the node's name (`matchFields` on
/// `metadata.name`, and `spec.nodeName`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKey {
    Label(String),
    Name,
}

/// A node selector operator with its values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Operator {
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
    /// The label's value, read as a base-10 integer, is greater than this.
    Gt(i64),
    Lt(i64),
}

/// One requirement on a node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodeRequirement {
    pub key: NodeKey,
    pub operator: Operator,
}

/// The longest label value the API accepts.
const MAX_LABEL_VALUE: usize = 63;

impl NodeRequirement {
    /// Whether a node with these labels and this name meets the requirement, as
    /// `k8s.io/apimachinery` label requirements match: `NotIn` and `DoesNotExist` hold for a
    /// missing label, `Gt`/`Lt` need the label to be present and an integer.
    pub fn matches(&self, labels: &[(String, String)], name: &str) -> bool {
        let value = match &self.key {
            NodeKey::Label(key) => labels
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            NodeKey::Name => Some(name),
        };
        match &self.operator {
            Operator::In(values) => value.is_some_and(|v| values.iter().any(|x| x == v)),
            Operator::NotIn(values) => value.is_none_or(|v| !values.iter().any(|x| x == v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::Gt(bound) => value.and_then(parse_int).is_some_and(|v| v > *bound),
            Operator::Lt(bound) => value.and_then(parse_int).is_some_and(|v| v < *bound),
        }
    }
}

/// A label value read as Go's `strconv.ParseInt(value, 10, 64)` reads it.
fn parse_int(value: &str) -> Option<i64> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// Whether some node, with labels of the scheduler's choosing, meets every requirement. Label
/// values follow the API's rules (at most 63 characters, starting and ending with a letter or
/// digit), so an integer label is never negative and `7` can also be written `07`.
pub fn satisfiable<'r>(requirements: impl IntoIterator<Item = &'r NodeRequirement>) -> bool {
    let mut by_key: BTreeMap<&NodeKey, Vec<&Operator>> = BTreeMap::new();
    for requirement in requirements {
        by_key
            .entry(&requirement.key)
            .or_default()
            .push(&requirement.operator);
    }
    by_key
        .into_iter()
        .all(|(key, operators)| key_satisfiable(key, &operators))
}

fn key_satisfiable(key: &NodeKey, operators: &[&Operator]) -> bool {
    let needs_value = operators.iter().any(|op| {
        matches!(
            op,
            Operator::In(_) | Operator::Exists | Operator::Gt(_) | Operator::Lt(_)
        )
    });
    let forbids_value = operators
        .iter()
        .any(|op| matches!(op, Operator::DoesNotExist));
    // A node always has a name.
    let always_present = *key == NodeKey::Name;
    if !needs_value && !always_present {
        // Leaving the label off satisfies NotIn and DoesNotExist alike.
        return true;
    }
    if forbids_value {
        return false;
    }
    let excluded: Vec<&str> = operators
        .iter()
        .flat_map(|op| match op {
            Operator::NotIn(values) => values.as_slice(),
            _ => &[],
        })
        .map(String::as_str)
        .collect();
    let lower = operators
        .iter()
        .filter_map(|op| match op {
            Operator::Gt(bound) => Some(*bound),
            _ => None,
        })
        .max();
    let upper = operators
        .iter()
        .filter_map(|op| match op {
            Operator::Lt(bound) => Some(*bound),
            _ => None,
        })
        .min();
    let fits = |value: &str| {
        operators.iter().all(|op| match op {
            Operator::In(values) => values.iter().any(|v| v == value),
            Operator::NotIn(values) => !values.iter().any(|v| v == value),
            Operator::Exists => true,
            Operator::DoesNotExist => false,
            Operator::Gt(bound) => parse_int(value).is_some_and(|v| v > *bound),
            Operator::Lt(bound) => parse_int(value).is_some_and(|v| v < *bound),
        })
    };
    let first_in = operators.iter().find_map(|op| match op {
        Operator::In(values) => Some(values),
        _ => None,
    });
    if let Some(candidates) = first_in {
        // The value must be one of the listed ones.
        return candidates
            .iter()
            .any(|value| valid_value(key, value) && fits(value));
    }
    if lower.is_none() && upper.is_none() {
        // Infinitely many values, finitely many excluded.
        return true;
    }
    integer_available(lower, upper, &excluded)
}

/// Whether a label value can be `value`: names and label values that no node can carry never
/// match.
fn valid_value(key: &NodeKey, value: &str) -> bool {
    match key {
        NodeKey::Name => !value.is_empty(),
        NodeKey::Label(_) => is_label_value(value),
    }
}

/// The API's rule for label values: empty, or up to 63 characters of `[A-Za-z0-9._-]` that
/// start and end with a letter or digit.
pub fn is_label_value(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.is_empty() {
        return true;
    }
    bytes.len() <= MAX_LABEL_VALUE
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Whether some label value reads as an integer strictly between `lower` and `upper` and is
/// not one of `excluded`. Label values cannot carry a sign, so the integer is at least 0, and
/// each integer has one spelling per number of leading zeros that fits in 63 characters.
fn integer_available(lower: Option<i64>, upper: Option<i64>, excluded: &[&str]) -> bool {
    let low = lower.map_or(0, |b| b.saturating_add(1)).max(0);
    let high = upper.map_or(i64::MAX, |b| b.saturating_sub(1));
    if low > high {
        return false;
    }
    // More integers in range than excluded values: one of them is free in every spelling.
    let count = (high as i128) - (low as i128) + 1;
    if count > excluded.len() as i128 {
        return true;
    }
    (low..=high).any(|n| {
        let digits = n.to_string();
        let spellings = MAX_LABEL_VALUE - digits.len() + 1;
        let taken = excluded
            .iter()
            .filter(|value| {
                value.len() <= MAX_LABEL_VALUE
                    && value.bytes().all(|b| b.is_ascii_digit())
                    && value.trim_start_matches('0') == digits.trim_start_matches('0')
            })
            .collect::<std::collections::HashSet<_>>()
            .len();
        taken < spellings
    })
}

/// Parses one `matchExpressions` (`field == false`) or `matchFields` (`field == true`) item at
/// `pointer`, with the API server's validation.
pub fn parse_requirement(
    item: &Node,
    pointer: &str,
    field: bool,
) -> Result<NodeRequirement, (String, String)> {
    let fail = |at: &str, message: String| Err((push_pointer(pointer, at), message));
    let Some(key) = item
        .get("key")
        .and_then(Node::as_str)
        .filter(|k| !k.is_empty())
    else {
        return fail(
            "key",
            "a node selector requirement needs a `key`".to_owned(),
        );
    };
    let Some(operator) = item.get("operator").and_then(Node::as_str) else {
        return fail(
            "operator",
            "a node selector requirement needs an `operator`".to_owned(),
        );
    };
    let mut values = Vec::new();
    if let Some(list) = item.get("values").filter(|n| !n.is_null()) {
        let Some(items) = list.as_seq() else {
            return fail("values", "`values` must be an array of strings".to_owned());
        };
        for (index, value) in items.iter().enumerate() {
            let Some(text) = value.as_str() else {
                return fail(
                    &format!("values/{index}"),
                    format!("`values` holds strings, found {}", value.type_name()),
                );
            };
            values.push(text.to_owned());
        }
    }
    let key = if field {
        if key != "metadata.name" {
            return fail(
                "key",
                format!("`{key}` is not a node field selectors support (only `metadata.name`)"),
            );
        }
        if !matches!(operator, "In" | "NotIn") || values.len() != 1 {
            return fail(
                "operator",
                "a node field selector takes operator In or NotIn with exactly one value"
                    .to_owned(),
            );
        }
        NodeKey::Name
    } else {
        NodeKey::Label(key.to_owned())
    };
    let operator = match operator {
        "In" | "NotIn" if values.is_empty() => {
            return fail(
                "values",
                format!("operator {operator} needs at least one value"),
            );
        }
        "In" => Operator::In(values),
        "NotIn" => Operator::NotIn(values),
        "Exists" | "DoesNotExist" if !values.is_empty() => {
            return fail("values", format!("operator {operator} takes no values"));
        }
        "Exists" => Operator::Exists,
        "DoesNotExist" => Operator::DoesNotExist,
        "Gt" | "Lt" => {
            let [value] = values.as_slice() else {
                return fail(
                    "values",
                    format!("operator {operator} takes exactly one value"),
                );
            };
            let Some(bound) = parse_int(value) else {
                return fail(
                    "values/0",
                    format!("operator {operator} compares integers, found `{value}`"),
                );
            };
            if operator == "Gt" {
                Operator::Gt(bound)
            } else {
                Operator::Lt(bound)
            }
        }
        other => {
            return fail(
                "operator",
                format!("unknown operator `{other}` (In, NotIn, Exists, DoesNotExist, Gt, Lt)"),
            );
        }
    };
    Ok(NodeRequirement { key, operator })
}
