//! Terraform plans as `terraform show -json` writes them: every value resolved by Terraform
//! itself, those known only after apply marked in `after_unknown`. Also reads the state
//! (`terraform show -json` without a plan), whose `values` have the same shape.

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_core::Diagnostic;
use rampart_source::{Limits, Node, Value as NodeValue};

use crate::resource::{Origin, Position, Resource};
use crate::value::Value;

/// A plan's resources, each with the line of its entry in the plan.
#[derive(Debug, Clone)]
pub struct TerraformPlan {
    pub path: Arc<str>,
    /// The absolute folder holding the plan, where its configuration usually is.
    pub folder: String,
    pub resources: Vec<Resource>,
}

/// Whether `text` is a plan or state that `terraform show -json` wrote.
pub fn is_plan(text: &str) -> bool {
    let head = &text[..text.len().min(4096)];
    head.trim_start().starts_with('{')
        && head.contains("\"format_version\"")
        && (text.contains("\"planned_values\"") || text.contains("\"terraform_version\""))
}

pub fn parse_plan(
    path: &str,
    folder: &str,
    text: &str,
    limits: &Limits,
    scope: &str,
) -> Result<TerraformPlan, Diagnostic> {
    let (mut documents, error) = rampart_source::parse_stream(text, limits);
    if let Some(error) = error {
        return Err(Diagnostic::error(
            path.to_owned(),
            Some(error.line),
            format!("invalid plan JSON: {}", error.message),
        ));
    }
    let Some(root) = documents.pop().map(|d| d.root) else {
        return Err(Diagnostic::error(
            path.to_owned(),
            None,
            "empty plan".to_owned(),
        ));
    };
    let mut unknown: BTreeMap<String, Value> = BTreeMap::new();
    for change in root.get("resource_changes").map(Node::items).unwrap_or(&[]) {
        if let (Some(address), Some(after_unknown)) = (
            change.get("address").and_then(Node::as_str),
            change.get("change").and_then(|c| c.get("after_unknown")),
        ) {
            unknown.insert(address.to_owned(), value_of(after_unknown));
        }
    }
    let module = root
        .get("planned_values")
        .or_else(|| root.get("values"))
        .and_then(|values| values.get("root_module"));
    let mut resources = Vec::new();
    let shared: Arc<str> = Arc::from(path);
    if let Some(module) = module {
        collect(module, &shared, scope, &unknown, &mut resources);
    }
    Ok(TerraformPlan {
        path: shared,
        folder: folder.to_owned(),
        resources,
    })
}

fn collect(
    module: &Node,
    path: &Arc<str>,
    root_scope: &str,
    unknown: &BTreeMap<String, Value>,
    into: &mut Vec<Resource>,
) {
    let module_address = module.get("address").and_then(Node::as_str);
    for entry in module.get("resources").map(Node::items).unwrap_or(&[]) {
        let text = |key: &str| entry.get(key).and_then(Node::as_str).unwrap_or("");
        let address = text("address").to_owned();
        let kind = text("type").to_owned();
        let data = text("mode") == "data";
        let mut values = entry.get("values").map(value_of).unwrap_or_default();
        if let Some(marks) = unknown.get(&address) {
            mark_unknown(&mut values, marks);
        }
        let name = match module_address {
            Some(prefix) => address
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('.'))
                .unwrap_or(&address)
                .to_owned(),
            None => address.clone(),
        };
        let scope = match module_address {
            Some(prefix) => format!("{root_scope}:{prefix}"),
            None => root_scope.to_owned(),
        };
        into.push(Resource {
            origin: Origin::TerraformPlan,
            kind: kind.clone(),
            declared_kind: kind,
            name,
            scope,
            address,
            values,
            at: Position {
                path: path.clone(),
                line: entry.span.line,
                column: entry.span.column,
            },
            end_line: entry.span.line,
            fields: BTreeMap::new(),
            references: BTreeMap::new(),
            ignores: Vec::new(),
            data,
        });
    }
    for child in module.get("child_modules").map(Node::items).unwrap_or(&[]) {
        collect(child, path, root_scope, unknown, into);
    }
}

/// Sets to unknown the values `after_unknown` marks `true`.
fn mark_unknown(values: &mut Value, marks: &Value) {
    match (values, marks) {
        (value, Value::Bool(true)) => *value = Value::unknown(),
        (Value::Map(entries), Value::Map(marks)) => {
            for (key, mark) in marks {
                match entries.get_mut(key) {
                    Some(value) => mark_unknown(value, mark),
                    None if *mark == Value::Bool(true) => {
                        entries.insert(key.clone(), Value::unknown());
                    }
                    None => {}
                }
            }
        }
        (Value::List(items), Value::List(marks)) => {
            for (item, mark) in items.iter_mut().zip(marks) {
                mark_unknown(item, mark);
            }
        }
        _ => {}
    }
}

/// A parsed JSON node as a value.
pub(crate) fn value_of(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(flag) => Value::Bool(*flag),
        NodeValue::Int(number) => Value::Number(*number as f64),
        NodeValue::Float(number) => Value::Number(*number),
        NodeValue::String(text) => Value::String(text.to_string()),
        NodeValue::Seq(items) => Value::List(items.iter().map(value_of).collect()),
        NodeValue::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|entry| (entry.key.to_string(), value_of(&entry.value)))
                .collect(),
        ),
    }
}
