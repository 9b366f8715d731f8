//! The values of the Cloud layer: what a Terraform expression, a CloudFormation intrinsic or a
//! plan's attribute evaluates to, with an explicit [`Value::Unknown`] for what cannot be known
//! before the cloud answers (an id AWS assigns, a variable without a value): never guessed.

use std::collections::BTreeMap;
use std::fmt;

/// A value of the configuration language, after evaluation.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    /// Known only when the resources exist (an ARN, a generated name), or given no value.
    Unknown(Unknown),
}

/// What is known of an unknown value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unknown {
    /// For a string made by `jsonencode` (or a policy-document data source) of a value with
    /// unknown parts: that value. The string's exact text is unknown, its structure is not: a
    /// policy whose `Resource` is an ARN known after apply still has known actions.
    pub json: Option<Box<Value>>,
}

/// The key of the object that stands for an unknown value in [`Value::to_json`] output:
/// `{"$unknown": true}`. No IAM field (an action, a resource, a principal) is ever an object,
/// so an evaluator reads it as "could be anything" and cannot mistake it for a known value.
pub const UNKNOWN_KEY: &str = "$unknown";

impl Value {
    pub fn unknown() -> Value {
        Value::Unknown(Unknown::default())
    }

    pub fn string(text: impl Into<String>) -> Value {
        Value::String(text.into())
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether the value or anything inside it is unknown.
    pub fn has_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::List(items) => items.iter().any(Value::has_unknown),
            Value::Map(entries) => entries.values().any(Value::has_unknown),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// A boolean, also from the strings `"true"`/`"false"` that CloudFormation and Terraform
    /// convert (`"True"` too, as CloudFormation accepts).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(value) => Some(*value),
            Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// A number, also from a numeric string, as both languages convert them.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(number) => Some(*number),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` of a map; `None` for a missing key or a value that is not a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?.get(key)
    }

    /// The value at a `/`-separated path of keys and list indices. A nested block is a list
    /// of maps in Terraform and a map in CloudFormation: a key applied to a list of one map
    /// looks inside it, so `vpc_config/endpoint_public_access` reads both.
    pub fn at(&self, path: &str) -> Option<&Value> {
        let mut value = self;
        for step in path.split('/').filter(|step| !step.is_empty()) {
            value = match value {
                Value::List(items) => match step.parse::<usize>() {
                    Ok(index) => items.get(index)?,
                    Err(_) if items.len() == 1 => items[0].get(step)?,
                    Err(_) => return None,
                },
                Value::Map(entries) => entries.get(step)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// The items of a nested block or list: a list's items, a map (one block written as an
    /// object, as CloudFormation and `.tf.json` do) as itself, nothing for null.
    pub fn items(&self) -> &[Value] {
        match self {
            Value::List(items) => items,
            Value::Null => &[],
            other => std::slice::from_ref(other),
        }
    }

    /// The value as JSON, each unknown value written `{"$unknown": true}` (see
    /// [`UNKNOWN_KEY`]); numbers without a fraction as integers.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match self {
            Value::Null => Json::Null,
            Value::Bool(value) => Json::Bool(*value),
            Value::Number(number) => number_json(*number),
            Value::String(text) => Json::String(text.clone()),
            Value::List(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), value.to_json()))
                    .collect(),
            ),
            Value::Unknown(_) => {
                let mut marker = serde_json::Map::new();
                marker.insert(UNKNOWN_KEY.to_owned(), Json::Bool(true));
                Json::Object(marker)
            }
        }
    }

    /// A JSON value as a value.
    pub fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as Json;
        match json {
            Json::Null => Value::Null,
            Json::Bool(value) => Value::Bool(*value),
            Json::Number(number) => Value::Number(number.as_f64().unwrap_or(f64::NAN)),
            Json::String(text) => Value::String(text.clone()),
            Json::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            Json::Object(entries) if entries.len() == 1 && entries.contains_key(UNKNOWN_KEY) => {
                Value::unknown()
            }
            Json::Object(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), Value::from_json(value)))
                    .collect(),
            ),
        }
    }

    /// The JSON document a string holds (a policy written as JSON text), or the structure
    /// of an unknown string made by `jsonencode`; `None` when it holds no JSON.
    pub fn decoded_json(&self) -> Option<serde_json::Value> {
        match self {
            Value::String(text) => serde_json::from_str(text).ok(),
            Value::Unknown(Unknown { json: Some(value) }) => Some(value.to_json()),
            Value::Map(_) => Some(self.to_json()),
            _ => None,
        }
    }

    /// The Terraform type name, for errors.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "object",
            Value::Unknown(_) => "unknown",
        }
    }
}

fn number_json(number: f64) -> serde_json::Value {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        serde_json::Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(serde_json::Value::Null, Into::into)
    }
}

/// A number as Terraform prints it: integers without a fraction.
pub fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

impl fmt::Display for Value {
    /// Short, for messages: strings as they are, other values as JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(text) => f.write_str(text),
            Value::Number(number) => f.write_str(&format_number(*number)),
            Value::Unknown(_) => f.write_str("(known after apply)"),
            other => write!(f, "{}", other.to_json()),
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::String(text.to_owned())
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Value {
        Value::Bool(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_step_through_blocks_written_either_way() {
        let terraform = Value::from_json(&serde_json::json!({
            "vpc_config": [{"endpoint_public_access": true}]
        }));
        let cloudformation = Value::from_json(&serde_json::json!({
            "vpc_config": {"endpoint_public_access": true}
        }));
        for value in [terraform, cloudformation] {
            assert_eq!(
                value.at("vpc_config/endpoint_public_access"),
                Some(&Value::Bool(true))
            );
            assert_eq!(value.at("vpc_config/missing"), None);
            assert_eq!(value.at("vpc_config").unwrap().items().len(), 1);
        }
    }

    #[test]
    fn unknown_values_round_trip_through_json() {
        let value = Value::List(vec![Value::unknown(), Value::Number(2.0)]);
        let json = value.to_json();
        assert_eq!(json, serde_json::json!([{"$unknown": true}, 2]));
        assert_eq!(Value::from_json(&json), value);
        assert!(value.has_unknown());
    }
}
