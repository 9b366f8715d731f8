//! What the AWS provider computes without asking AWS: the JSON of an
//! `aws_iam_policy_document`, the account and region the provider is pinned to, and the
//! attributes of a resource that follow from its arguments (a bucket's ARN from its name, a
//! role's from the account, its path and name). Everything else a provider computes is unknown.

use std::collections::BTreeMap;

use crate::resource::Resource;
use crate::value::{Unknown, Value};

/// Fills a data source's computed attributes where they follow from its arguments.
pub(crate) fn complete(
    kind: &str,
    values: &mut Value,
    account_id: Option<&str>,
    region: Option<&str>,
) {
    let Value::Map(entries) = values else {
        return;
    };
    let known = |text: Option<&str>| text.map_or_else(Value::unknown, Value::string);
    match kind {
        "aws_iam_policy_document" => {
            let json = policy_document(entries);
            entries.insert("json".to_owned(), json.clone());
            entries.insert("minified_json".to_owned(), json);
        }
        "aws_caller_identity" => {
            entries.insert("account_id".to_owned(), known(account_id));
        }
        "aws_region" => {
            let name = entries.get("name").cloned();
            entries.insert(
                "name".to_owned(),
                name.filter(|n| !n.is_null())
                    .unwrap_or_else(|| known(region)),
            );
        }
        "aws_partition" => {
            entries.insert("partition".to_owned(), Value::string("aws"));
            entries.insert("dns_suffix".to_owned(), Value::string("amazonaws.com"));
        }
        _ => {}
    }
}

/// The value other expressions see of a resource: its arguments, and the attributes derived
/// from them.
pub(crate) fn derived(
    resource: &Resource,
    account_id: Option<&str>,
    region: Option<&str>,
) -> Value {
    let mut value = resource.values.clone();
    let Value::Map(entries) = &mut value else {
        return value;
    };
    let known: std::collections::BTreeMap<String, String> = entries
        .iter()
        .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
        .collect();
    let text = |key: &str| known.get(key).cloned();
    let iam_arn = |kind: &str, name: Option<String>, path: Option<String>| match (account_id, name)
    {
        (Some(account), Some(name)) => Value::String(format!(
            "arn:aws:iam::{account}:{kind}{}{name}",
            path.unwrap_or_else(|| "/".to_owned())
        )),
        _ => Value::unknown(),
    };
    let regional_arn = |service: &str, name: Option<String>| match (region, account_id, name) {
        (Some(region), Some(account), Some(name)) => {
            Value::String(format!("arn:aws:{service}:{region}:{account}:{name}"))
        }
        _ => Value::unknown(),
    };
    let mut add = |key: &str, derived: Value| {
        entries.entry(key.to_owned()).or_insert(derived);
    };
    let or_unknown = |name: Option<String>| name.map_or_else(Value::unknown, Value::String);
    match resource.kind.as_str() {
        "aws_s3_bucket" => {
            let name = text("bucket");
            add(
                "arn",
                name.as_ref().map_or_else(Value::unknown, |n| {
                    Value::String(format!("arn:aws:s3:::{n}"))
                }),
            );
            add("id", or_unknown(name));
        }
        "aws_iam_role" | "aws_iam_user" | "aws_iam_group" | "aws_iam_policy" => {
            let kind = resource.kind.trim_start_matches("aws_iam_");
            let name = text("name");
            add("arn", iam_arn(kind, name.clone(), text("path")));
            if kind == "policy" {
                let arn = iam_arn(kind, name, text("path"));
                add("id", arn);
            } else {
                add("id", or_unknown(name.clone()));
                add("unique_id", Value::unknown());
            }
        }
        "aws_iam_instance_profile" => {
            let name = text("name");
            add(
                "arn",
                iam_arn("instance-profile", name.clone(), text("path")),
            );
            add("id", or_unknown(name));
        }
        "aws_sqs_queue" => {
            add("arn", regional_arn("sqs", text("name")));
        }
        "aws_sns_topic" => {
            let arn = regional_arn("sns", text("name"));
            add("id", arn.clone());
            add("arn", arn);
        }
        "aws_eks_cluster" | "aws_ecr_repository" | "aws_cloudwatch_log_group" => {
            add("id", or_unknown(text("name")));
        }
        _ => {}
    }
    value
}

/// The JSON policy an `aws_iam_policy_document` renders, as the provider renders it: statements
/// from `source_policy_documents` first, then this document's (replacing those with the same
/// `Sid`), then `override_policy_documents` (replacing by `Sid` too). A known document is a
/// string; one with unknown parts an unknown string whose structure is known.
fn policy_document(arguments: &BTreeMap<String, Value>) -> Value {
    let mut statements: Vec<Value> = Vec::new();
    let mut unknown_source = false;
    let merge = |statements: &mut Vec<Value>, statement: Value| {
        let sid = statement
            .get("Sid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        match sid.and_then(|sid| {
            statements
                .iter()
                .position(|s| s.get("Sid").and_then(Value::as_str) == Some(sid.as_str()))
        }) {
            Some(at) => statements[at] = statement,
            None => statements.push(statement),
        }
    };
    let documents = |key: &str, unknown: &mut bool| -> Vec<Value> {
        arguments
            .get(key)
            .map(Value::items)
            .unwrap_or(&[])
            .iter()
            .flat_map(|document| match document.decoded_json() {
                Some(json) => Value::from_json(&json)
                    .get("Statement")
                    .map(|s| s.items().to_vec())
                    .unwrap_or_default(),
                None => {
                    *unknown = true;
                    Vec::new()
                }
            })
            .collect()
    };
    for statement in documents("source_policy_documents", &mut unknown_source) {
        merge(&mut statements, statement);
    }
    for block in arguments.get("statement").map(Value::items).unwrap_or(&[]) {
        merge(&mut statements, statement(block));
    }
    for statement in documents("override_policy_documents", &mut unknown_source) {
        merge(&mut statements, statement);
    }
    let mut document = BTreeMap::new();
    document.insert(
        "Version".to_owned(),
        arguments
            .get("version")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| Value::string("2012-10-17")),
    );
    if let Some(id) = arguments.get("policy_id").filter(|v| !v.is_null()) {
        document.insert("Id".to_owned(), id.clone());
    }
    document.insert("Statement".to_owned(), Value::List(statements));
    let document = Value::Map(document);
    if unknown_source || document.has_unknown() {
        Value::Unknown(Unknown {
            json: (!unknown_source).then(|| Box::new(document)),
        })
    } else {
        Value::String(document.to_json().to_string())
    }
}

/// One `statement` block as a policy statement.
fn statement(block: &Value) -> Value {
    let mut out = BTreeMap::new();
    let mut set = |key: &str, value: Value| {
        if !value.is_null() {
            out.insert(key.to_owned(), value);
        }
    };
    set("Sid", block.get("sid").cloned().unwrap_or_default());
    set(
        "Effect",
        block
            .get("effect")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| Value::string("Allow")),
    );
    for (argument, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        set(key, string_set(block.get(argument)));
    }
    for (argument, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        set(key, principals(block.get(argument)));
    }
    set("Condition", conditions(block.get("condition")));
    Value::Map(out)
}

/// A set of strings as the provider writes it: one string alone, else a list in reverse
/// lexical order (as hashicorp/aws 5.x renders `actions`, `resources` and identifiers,
/// checked against its plans in tests/plans).
fn string_set(value: Option<&Value>) -> Value {
    match value {
        None | Some(Value::Null) => Value::Null,
        Some(Value::List(items)) if items.is_empty() => Value::Null,
        Some(Value::List(items)) if items.len() == 1 => items[0].clone(),
        Some(Value::List(items)) => {
            let mut items = items.clone();
            if items.iter().all(|item| item.as_str().is_some()) {
                items.sort_by(|a, b| b.as_str().cmp(&a.as_str()));
                items.dedup();
            }
            if items.len() == 1 {
                items.pop().unwrap_or_default()
            } else {
                Value::List(items)
            }
        }
        Some(other) => other.clone(),
    }
}

fn principals(blocks: Option<&Value>) -> Value {
    let blocks = blocks.map(Value::items).unwrap_or(&[]);
    if blocks.is_empty() {
        return Value::Null;
    }
    let mut by_type: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for block in blocks {
        let Some(kind) = block.get("type").and_then(Value::as_str) else {
            return Value::unknown();
        };
        let identifiers = block.get("identifiers").map(Value::items).unwrap_or(&[]);
        by_type
            .entry(kind.to_owned())
            .or_default()
            .extend(identifiers.iter().cloned());
    }
    // `type = "*"` with `identifiers = ["*"]` is the anonymous principal, written `"*"`.
    if by_type.len() == 1
        && let Some(everyone) = by_type.get("*")
        && everyone.iter().all(|i| i.as_str() == Some("*"))
    {
        return Value::string("*");
    }
    Value::Map(
        by_type
            .into_iter()
            .map(|(kind, identifiers)| (kind, string_set(Some(&Value::List(identifiers)))))
            .collect(),
    )
}

fn conditions(blocks: Option<&Value>) -> Value {
    let blocks = blocks.map(Value::items).unwrap_or(&[]);
    if blocks.is_empty() {
        return Value::Null;
    }
    let mut by_test: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for block in blocks {
        let (Some(test), Some(variable)) = (
            block.get("test").and_then(Value::as_str),
            block.get("variable").and_then(Value::as_str),
        ) else {
            return Value::unknown();
        };
        // Condition values keep the order they are written in.
        let values = match block.get("values").cloned().unwrap_or_default() {
            Value::List(mut items) if items.len() == 1 => items.remove(0),
            other => other,
        };
        by_test
            .entry(test.to_owned())
            .or_default()
            .insert(variable.to_owned(), values);
    }
    Value::Map(
        by_test
            .into_iter()
            .map(|(test, variables)| (test, Value::Map(variables)))
            .collect(),
    )
}
