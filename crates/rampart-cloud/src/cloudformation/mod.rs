//! CloudFormation templates (YAML with short-form tags, or JSON), recognised by content:
//! Parameters with their defaults, Conditions, Mappings, the intrinsic functions evaluated
//! where their inputs are known (`Ref`, `Fn::Sub`, `Fn::Join`, `Fn::If`, `Fn::FindInMap`,
//! `Fn::Select`, `Fn::Split`, `Fn::Equals`/`And`/`Or`/`Not`, `Fn::GetAtt`, `Fn::Base64`,
//! `Fn::ToJsonString`, `Fn::Length`), SAM's `AWS::Serverless::*` resources with their
//! `Globals`. Resources are mapped to the provider model (see [`crate::Resource::kind`]), with
//! property names in its `snake_case`; policy documents and tags keep their own keys.

mod yaml;

use std::collections::BTreeMap;
use std::sync::Arc;

use rampart_core::Diagnostic;
use rampart_source::{Limits, Node, Value as NodeValue};

use crate::resource::{Origin, Position, Resource};
use crate::terraform::parse_ignore;
use crate::value::{Unknown, Value};

pub use yaml::parse as parse_yaml;

/// A template's evaluated resources.
#[derive(Debug, Clone)]
pub struct Template {
    pub path: Arc<str>,
    pub resources: Vec<Resource>,
    pub errors: Vec<Diagnostic>,
}

/// Whether a text is a CloudFormation template: it declares `AWSTemplateFormatVersion`, or
/// a `Resources` section whose resources have `AWS::`/`Custom::`/`Alexa::` types, or a SAM
/// `Transform`.
pub fn is_template(text: &str) -> bool {
    if text.contains("AWSTemplateFormatVersion") {
        return true;
    }
    let has_resources = text.contains("Resources");
    has_resources
        && (text.contains("AWS::Serverless") || {
            // `Type: AWS::S3::Bucket` or `"Type": "AWS::S3::Bucket"`.
            text.match_indices("Type").any(|(at, _)| {
                let rest = text[at + 4..].trim_start_matches(['"', '\'', ':', ' ', '\t']);
                rest.starts_with("AWS::") || rest.starts_with("Custom::")
            })
        })
}

/// Reads and evaluates a template. `scope` names the template in subjects (its path relative
/// to its repository).
pub fn parse_template(path: &str, text: &str, limits: &Limits, scope: &str) -> Template {
    let shared: Arc<str> = Arc::from(path);
    let mut template = Template {
        path: shared.clone(),
        resources: Vec::new(),
        errors: Vec::new(),
    };
    let root = match yaml::parse(text, limits) {
        Ok(root) => root,
        Err((line, message)) => {
            template.errors.push(Diagnostic::error(
                path.to_owned(),
                Some(line),
                format!("invalid CloudFormation template: {message}"),
            ));
            return template;
        }
    };
    let mut context = Context::new(&root, shared, scope);
    context.evaluate(&root);
    template.resources = context.resources;
    template.errors = context.errors;
    template
}

struct Context<'t> {
    parameters: BTreeMap<String, Value>,
    conditions: BTreeMap<String, &'t Node>,
    decided: BTreeMap<String, Option<bool>>,
    mappings: Option<&'t Node>,
    /// Logical id to type, for `Ref` and `Fn::GetAtt`.
    types: BTreeMap<String, String>,
    /// Logical id to its properties node, for what a `Ref` returns.
    properties: BTreeMap<String, &'t Node>,
    path: Arc<str>,
    scope: String,
    resources: Vec<Resource>,
    errors: Vec<Diagnostic>,
    /// Resources referred to by the expression being evaluated.
    references: Vec<String>,
    /// Where the expression being evaluated is, for errors.
    line: u32,
}

impl<'t> Context<'t> {
    fn new(root: &'t Node, path: Arc<str>, scope: &str) -> Context<'t> {
        let mut context = Context {
            parameters: BTreeMap::new(),
            conditions: BTreeMap::new(),
            decided: BTreeMap::new(),
            mappings: root.get("Mappings"),
            types: BTreeMap::new(),
            properties: BTreeMap::new(),
            path,
            scope: scope.to_owned(),
            resources: Vec::new(),
            errors: Vec::new(),
            references: Vec::new(),
            line: 0,
        };
        for entry in root.get("Parameters").map(Node::entries).unwrap_or(&[]) {
            let default = entry
                .value
                .get("Default")
                .map(|node| context.literal(node))
                .unwrap_or_else(Value::unknown);
            let list = entry
                .value
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("List<") || t == "CommaDelimitedList");
            let value = match (list, default) {
                (true, Value::String(text)) => {
                    Value::List(text.split(',').map(|s| Value::string(s.trim())).collect())
                }
                (_, value) => value,
            };
            context.parameters.insert(entry.key.to_string(), value);
        }
        for entry in root.get("Conditions").map(Node::entries).unwrap_or(&[]) {
            context
                .conditions
                .insert(entry.key.to_string(), &entry.value);
        }
        for entry in root.get("Resources").map(Node::entries).unwrap_or(&[]) {
            if let Some(kind) = entry.value.get("Type").and_then(Node::as_str) {
                context.types.insert(entry.key.to_string(), kind.to_owned());
            }
            if let Some(properties) = entry.value.get("Properties") {
                context.properties.insert(entry.key.to_string(), properties);
            }
        }
        context
    }

    fn error(&mut self, line: u32, message: String) {
        self.errors.push(Diagnostic::error(
            self.path.to_string(),
            (line > 0).then_some(line),
            message,
        ));
    }

    fn evaluate(&mut self, root: &'t Node) {
        let Some(resources) = root.get("Resources") else {
            self.error(root.span.line, "the template has no `Resources`".to_owned());
            return;
        };
        let globals = root.get("Globals");
        for entry in resources.entries() {
            let id = entry.key.to_string();
            let node = &entry.value;
            let Some(declared_kind) = node.get("Type").and_then(Node::as_str) else {
                self.error(node.span.line, format!("resource `{id}` has no `Type`"));
                continue;
            };
            if let Some(condition) = node.get("Condition").and_then(Node::as_str)
                && self.condition(condition) == Some(false)
            {
                continue;
            }
            let mut values = BTreeMap::new();
            let mut fields = BTreeMap::new();
            let mut references = BTreeMap::new();
            // SAM's Globals section gives every function (api, table) defaults.
            let global = declared_kind
                .strip_prefix("AWS::Serverless::")
                .and_then(|short| globals?.get(short));
            let kind = model_kind(declared_kind);
            for properties in global.into_iter().chain(node.get("Properties")) {
                for property in properties.entries() {
                    self.references.clear();
                    self.line = property.value.span.line;
                    let value = self.eval(&property.value);
                    if matches!(value, Value::Unknown(Unknown { json: None }))
                        && self.is_no_value(&property.value)
                    {
                        continue;
                    }
                    let name = property_name(declared_kind, &property.key);
                    let verbatim = VERBATIM.contains(&property.key.as_str());
                    let pointer = format!("/{name}");
                    fields.insert(
                        pointer.clone(),
                        (property.key_span.line, property.key_span.column),
                    );
                    record_fields(&property.value, &pointer, verbatim, &mut fields);
                    let value = if verbatim { value } else { snake_keys(value) };
                    if value_is_no_value(&value) {
                        continue;
                    }
                    if !self.references.is_empty() {
                        references.insert(name.clone(), std::mem::take(&mut self.references));
                    }
                    values.insert(name, value);
                }
            }
            let ignores = node
                .get("Metadata")
                .and_then(|m| m.get("rampart"))
                .and_then(|r| r.get("ignore"))
                .map(ignores_of)
                .unwrap_or_default();
            self.resources.push(Resource {
                origin: Origin::CloudFormation,
                kind,
                declared_kind: declared_kind.to_owned(),
                name: id.clone(),
                scope: self.scope.clone(),
                address: id,
                values: Value::Map(values),
                at: Position {
                    path: self.path.clone(),
                    line: entry.key_span.line,
                    column: entry.key_span.column,
                },
                end_line: entry.key_span.line,
                fields,
                references,
                ignores,
                data: false,
            });
        }
    }

    fn is_no_value(&self, node: &Node) -> bool {
        node.get("Ref").and_then(Node::as_str) == Some("AWS::NoValue")
    }

    /// A node without intrinsic functions, as a value.
    fn literal(&mut self, node: &Node) -> Value {
        crate::terraform::value_of(node)
    }

    fn condition(&mut self, name: &str) -> Option<bool> {
        if let Some(decided) = self.decided.get(name) {
            return *decided;
        }
        // Mark as undecided while evaluating: a cycle gives unknown.
        self.decided.insert(name.to_owned(), None);
        let Some(node) = self.conditions.get(name).copied() else {
            let line = self.line;
            self.error(line, format!("condition `{name}` is not declared"));
            return None;
        };
        let value = self.eval(node).as_bool();
        self.decided.insert(name.to_owned(), value);
        value
    }

    fn eval(&mut self, node: &'t Node) -> Value {
        match &node.value {
            NodeValue::Seq(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    if self.is_no_value(item) {
                        continue;
                    }
                    let value = self.eval(item);
                    if !value_is_no_value(&value) {
                        values.push(value);
                    }
                }
                Value::List(values)
            }
            NodeValue::Map(entries) if entries.len() == 1 => {
                let entry = &entries[0];
                let function = entry.key.as_str();
                if function == "Ref" || function == "Condition" || function.starts_with("Fn::") {
                    self.intrinsic(function, &entry.value)
                } else {
                    let value = self.eval(&entry.value);
                    let mut map = BTreeMap::new();
                    if !value_is_no_value(&value) {
                        map.insert(entry.key.to_string(), value);
                    }
                    Value::Map(map)
                }
            }
            NodeValue::Map(entries) => {
                let mut map = BTreeMap::new();
                for entry in entries {
                    if self.is_no_value(&entry.value) {
                        continue;
                    }
                    let value = self.eval(&entry.value);
                    if !value_is_no_value(&value) {
                        map.insert(entry.key.to_string(), value);
                    }
                }
                Value::Map(map)
            }
            _ => crate::terraform::value_of(node),
        }
    }

    fn intrinsic(&mut self, function: &str, argument: &'t Node) -> Value {
        let args = argument.items();
        match function {
            "Ref" => {
                let name = argument.as_str().unwrap_or_default();
                self.reference(name)
            }
            "Condition" => match self.condition(argument.as_str().unwrap_or_default()) {
                Some(flag) => Value::Bool(flag),
                None => Value::unknown(),
            },
            "Fn::If" => {
                let [condition, then, otherwise] = args else {
                    return self.malformed(function, argument);
                };
                match self.condition(condition.as_str().unwrap_or_default()) {
                    Some(true) => self.branch(then),
                    Some(false) => self.branch(otherwise),
                    None => Value::unknown(),
                }
            }
            "Fn::Equals" => {
                let [a, b] = args else {
                    return self.malformed(function, argument);
                };
                let (a, b) = (self.eval(a), self.eval(b));
                if a.has_unknown() || b.has_unknown() {
                    Value::unknown()
                } else {
                    Value::Bool(loose_text(&a) == loose_text(&b))
                }
            }
            "Fn::And" | "Fn::Or" => {
                let values: Vec<Option<bool>> =
                    args.iter().map(|a| self.eval(a).as_bool()).collect();
                let deciding = function == "Fn::Or";
                if values.contains(&Some(deciding)) {
                    Value::Bool(deciding)
                } else if values.iter().all(Option::is_some) {
                    Value::Bool(!deciding)
                } else {
                    Value::unknown()
                }
            }
            "Fn::Not" => match args.first().map(|a| self.eval(a).as_bool()) {
                Some(Some(flag)) => Value::Bool(!flag),
                _ => Value::unknown(),
            },
            "Fn::Join" => {
                let [separator, list] = args else {
                    return self.malformed(function, argument);
                };
                let separator = self.eval(separator);
                let list = self.eval(list);
                match (separator.as_str(), &list) {
                    (Some(separator), Value::List(items)) if !list.has_unknown() => {
                        let parts: Option<Vec<String>> = items.iter().map(loose_text).collect();
                        parts.map_or_else(Value::unknown, |p| Value::String(p.join(separator)))
                    }
                    _ => Value::unknown(),
                }
            }
            "Fn::Select" => {
                let [index, list] = args else {
                    return self.malformed(function, argument);
                };
                let index = self.eval(index);
                let list = self.eval(list);
                match (index.as_f64(), list) {
                    (Some(index), Value::List(mut items)) if (index as usize) < items.len() => {
                        items.swap_remove(index as usize)
                    }
                    _ => Value::unknown(),
                }
            }
            "Fn::Split" => {
                let [separator, text] = args else {
                    return self.malformed(function, argument);
                };
                let separator = self.eval(separator);
                match (separator.as_str(), self.eval(text)) {
                    (Some(separator), Value::String(text)) => {
                        Value::List(text.split(separator).map(Value::from).collect())
                    }
                    _ => Value::unknown(),
                }
            }
            "Fn::FindInMap" => {
                let [map, top, second, ..] = args else {
                    return self.malformed(function, argument);
                };
                let keys = [self.eval(map), self.eval(top), self.eval(second)];
                let Some(mappings) = self.mappings else {
                    return Value::unknown();
                };
                let mut node = mappings;
                for key in &keys {
                    let Some(key) = loose_text(key) else {
                        return Value::unknown();
                    };
                    match node.get(&key) {
                        Some(next) => node = next,
                        None => return Value::unknown(),
                    }
                }
                self.eval(node)
            }
            "Fn::Sub" => self.sub(argument),
            "Fn::GetAtt" => {
                let (resource, attribute) = match args {
                    [resource, attribute] => (
                        resource.as_str().unwrap_or_default().to_owned(),
                        loose_text(&self.eval(attribute)).unwrap_or_default(),
                    ),
                    _ => match argument.as_str().and_then(|t| t.split_once('.')) {
                        Some((r, a)) => (r.to_owned(), a.to_owned()),
                        None => return self.malformed(function, argument),
                    },
                };
                self.attribute(&resource, &attribute)
            }
            "Fn::Base64" => match self.eval(argument) {
                Value::String(text) => {
                    use base64::Engine as _;
                    Value::String(base64::engine::general_purpose::STANDARD.encode(text))
                }
                _ => Value::unknown(),
            },
            "Fn::ToJsonString" => {
                let value = self.eval(argument);
                if value.has_unknown() {
                    Value::Unknown(Unknown {
                        json: Some(Box::new(value)),
                    })
                } else {
                    Value::String(value.to_json().to_string())
                }
            }
            "Fn::Length" => match self.eval(argument) {
                Value::List(items) => Value::Number(items.len() as f64),
                _ => Value::unknown(),
            },
            // Answered by AWS at deployment.
            "Fn::GetAZs" | "Fn::ImportValue" | "Fn::Cidr" | "Fn::Transform" => Value::unknown(),
            other => {
                let line = argument.span.line;
                self.error(line, format!("unknown intrinsic function `{other}`"));
                Value::unknown()
            }
        }
    }

    /// A branch of `Fn::If`; `AWS::NoValue` removes the property.
    fn branch(&mut self, node: &'t Node) -> Value {
        if self.is_no_value(node) {
            return no_value();
        }
        self.eval(node)
    }

    fn malformed(&mut self, function: &str, argument: &Node) -> Value {
        self.error(
            argument.span.line,
            format!("`{function}` has malformed arguments"),
        );
        Value::unknown()
    }

    fn reference(&mut self, name: &str) -> Value {
        match name {
            "AWS::NoValue" => return no_value(),
            "AWS::Partition" => return Value::string("aws"),
            "AWS::URLSuffix" => return Value::string("amazonaws.com"),
            "AWS::Region"
            | "AWS::AccountId"
            | "AWS::StackName"
            | "AWS::StackId"
            | "AWS::NotificationARNs" => return Value::unknown(),
            _ => {}
        }
        if let Some(value) = self.parameters.get(name) {
            return value.clone();
        }
        if self.types.contains_key(name) {
            self.note(name);
            // What `Ref` returns when a resource names itself.
            let own_name = match self.types.get(name).map(String::as_str) {
                Some("AWS::S3::Bucket") => Some("BucketName"),
                Some("AWS::IAM::Role") => Some("RoleName"),
                Some("AWS::IAM::User") => Some("UserName"),
                Some("AWS::IAM::Group") => Some("GroupName"),
                Some("AWS::SNS::Topic") => None,
                Some("AWS::Logs::LogGroup") => Some("LogGroupName"),
                Some("AWS::EKS::Cluster") => Some("Name"),
                _ => None,
            };
            let node = own_name.and_then(|key| self.properties.get(name)?.get(key));
            return match node {
                Some(node) => self.eval(node),
                None => Value::unknown(),
            };
        }
        let line = self.line;
        self.error(
            line,
            format!("`Ref` to `{name}`, which is neither a parameter nor a resource"),
        );
        Value::unknown()
    }

    fn attribute(&mut self, resource: &str, attribute: &str) -> Value {
        if !self.types.contains_key(resource) {
            let line = self.line;
            self.error(
                line,
                format!("`Fn::GetAtt` of `{resource}`, which is not a resource"),
            );
            return Value::unknown();
        }
        self.note(resource);
        let kind = self.types.get(resource).cloned().unwrap_or_default();
        if kind == "AWS::S3::Bucket"
            && attribute == "Arn"
            && let Some(Value::String(name)) = self
                .properties
                .get(resource)
                .and_then(|p| p.get("BucketName"))
                .map(|n| self.eval(n))
        {
            return Value::String(format!("arn:aws:s3:::{name}"));
        }
        Value::unknown()
    }

    fn note(&mut self, resource: &str) {
        if !self.references.iter().any(|r| r == resource) {
            self.references.push(resource.to_owned());
        }
    }

    fn sub(&mut self, argument: &'t Node) -> Value {
        let (template, variables) = match &argument.value {
            NodeValue::Seq(items) if items.len() == 2 => (items[0].as_str(), Some(&items[1])),
            _ => (argument.as_str(), None),
        };
        let Some(template) = template else {
            return self.malformed("Fn::Sub", argument);
        };
        let mut local = BTreeMap::new();
        for entry in variables.map(Node::entries).unwrap_or(&[]) {
            let value = self.eval(&entry.value);
            local.insert(entry.key.to_string(), value);
        }
        let mut out = String::new();
        let mut unknown = false;
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            // `${!Literal}` writes `${Literal}`.
            if let Some(literal) = after.strip_prefix('!') {
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = after[..end].trim();
            let value = match local.get(name) {
                Some(value) => value.clone(),
                None => match name.split_once('.') {
                    Some((resource, attribute)) if self.types.contains_key(resource) => {
                        self.attribute(resource, attribute)
                    }
                    _ => self.reference(name),
                },
            };
            match loose_text(&value) {
                Some(text) if !value.has_unknown() => out.push_str(&text),
                _ => unknown = true,
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        if unknown {
            Value::unknown()
        } else {
            Value::String(out)
        }
    }
}

/// `AWS::NoValue`: a marker removed from the map or list holding it.
fn no_value() -> Value {
    let mut map = BTreeMap::new();
    map.insert("Ref".to_owned(), Value::string("AWS::NoValue"));
    Value::Map(map)
}

fn value_is_no_value(value: &Value) -> bool {
    value.get("Ref").and_then(Value::as_str) == Some("AWS::NoValue")
        && value.as_map().is_some_and(|m| m.len() == 1)
}

/// A scalar as the text CloudFormation compares and joins.
fn loose_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(crate::value::format_number(*number)),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Properties whose values are documents of their own: their keys stay as written.
const VERBATIM: &[&str] = &[
    "PolicyDocument",
    "AssumeRolePolicyDocument",
    "KeyPolicy",
    "PolicyText",
    "Tags",
    "Variables",
    "Definition",
    "Policies",
    "Metadata",
    "Environment",
];

/// `DBInstanceClass` as `db_instance_class`, `MultiAZ` as `multi_az`.
pub(crate) fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let previous = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Map keys in `snake_case`, except under the keys of [`VERBATIM`].
fn snake_keys(value: Value) -> Value {
    match value {
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let verbatim = VERBATIM.contains(&key.as_str());
                    let value = if verbatim { value } else { snake_keys(value) };
                    (snake_case(&key), value)
                })
                .collect(),
        ),
        Value::List(items) => Value::List(items.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

fn record_fields(
    node: &Node,
    pointer: &str,
    verbatim: bool,
    fields: &mut BTreeMap<String, (u32, u32)>,
) {
    match &node.value {
        NodeValue::Map(entries) => {
            for entry in entries {
                let key = if verbatim {
                    entry.key.to_string()
                } else {
                    snake_case(&entry.key)
                };
                let child = format!("{pointer}/{key}");
                fields.insert(child.clone(), (entry.key_span.line, entry.key_span.column));
                record_fields(
                    &entry.value,
                    &child,
                    verbatim || VERBATIM.contains(&entry.key.as_str()),
                    fields,
                );
            }
        }
        NodeValue::Seq(items) => {
            for (index, item) in items.iter().enumerate() {
                let child = format!("{pointer}/{index}");
                fields.insert(child.clone(), (item.span.line, item.span.column));
                record_fields(item, &child, verbatim, fields);
            }
        }
        _ => {}
    }
}

/// A property's name in the provider model: `snake_case`, with the names Terraform gives
/// differently where it matters to rules.
fn property_name(kind: &str, property: &str) -> String {
    let renamed = match (kind, property) {
        ("AWS::EKS::Cluster", "ResourcesVpcConfig") => "vpc_config",
        ("AWS::EKS::Cluster", "Logging") => "logging",
        ("AWS::KMS::Key", "PendingWindowInDays") => "deletion_window_in_days",
        ("AWS::KMS::Key", "KeyPolicy") => "policy",
        ("AWS::IAM::Role", "AssumeRolePolicyDocument") => "assume_role_policy",
        ("AWS::IAM::ManagedPolicy", "PolicyDocument") => "policy",
        ("AWS::IAM::ManagedPolicy", "ManagedPolicyName") => "name",
        ("AWS::IAM::Role", "RoleName")
        | ("AWS::IAM::User", "UserName")
        | ("AWS::IAM::Group", "GroupName") => "name",
        ("AWS::IAM::Role", "PermissionsBoundary") | ("AWS::IAM::User", "PermissionsBoundary") => {
            "permissions_boundary"
        }
        ("AWS::S3::Bucket", "BucketName") => "bucket",
        ("AWS::S3::BucketPolicy", "PolicyDocument") => "policy",
        ("AWS::SQS::QueuePolicy", "PolicyDocument") => "policy",
        ("AWS::SNS::TopicPolicy", "PolicyDocument") => "policy",
        ("AWS::SQS::Queue", "KmsMasterKeyId") => "kms_master_key_id",
        ("AWS::SNS::Topic", "KmsMasterKeyId") => "kms_master_key_id",
        ("AWS::ECR::Repository", "RepositoryPolicyText") => "policy",
        ("AWS::Logs::LogGroup", "RetentionInDays") => "retention_in_days",
        ("AWS::RDS::DBInstance", "DBInstanceIdentifier") => "identifier",
        ("AWS::RDS::DBInstance", "Engine") => "engine",
        ("AWS::EC2::Instance", "ImageId") => "ami",
        ("AWS::EC2::Volume", "Encrypted") => "encrypted",
        ("AWS::Lambda::Permission", "Principal") => "principal",
        _ => "",
    };
    if renamed.is_empty() {
        snake_case(property)
    } else {
        renamed.to_owned()
    }
}

/// The provider model's type for a CloudFormation type: the Terraform AWS provider's name for
/// the same resource; types without one keep their own name.
pub fn model_kind(declared: &str) -> String {
    let mapped = match declared {
        "AWS::S3::Bucket" => "aws_s3_bucket",
        "AWS::S3::BucketPolicy" => "aws_s3_bucket_policy",
        "AWS::IAM::Role" => "aws_iam_role",
        "AWS::IAM::User" => "aws_iam_user",
        "AWS::IAM::Group" => "aws_iam_group",
        "AWS::IAM::ManagedPolicy" => "aws_iam_policy",
        "AWS::IAM::InstanceProfile" => "aws_iam_instance_profile",
        "AWS::IAM::AccessKey" => "aws_iam_access_key",
        "AWS::KMS::Key" => "aws_kms_key",
        "AWS::KMS::Alias" => "aws_kms_alias",
        "AWS::EC2::SecurityGroup" => "aws_security_group",
        "AWS::EC2::SecurityGroupIngress" => "aws_vpc_security_group_ingress_rule",
        "AWS::EC2::SecurityGroupEgress" => "aws_vpc_security_group_egress_rule",
        "AWS::EC2::NetworkAclEntry" => "aws_network_acl_rule",
        "AWS::EC2::Instance" => "aws_instance",
        "AWS::EC2::LaunchTemplate" => "aws_launch_template",
        "AWS::EC2::Volume" => "aws_ebs_volume",
        "AWS::EC2::VPC" => "aws_vpc",
        "AWS::EC2::Subnet" => "aws_subnet",
        "AWS::EC2::FlowLog" => "aws_flow_log",
        "AWS::RDS::DBInstance" => "aws_db_instance",
        "AWS::RDS::DBCluster" => "aws_rds_cluster",
        "AWS::EFS::FileSystem" => "aws_efs_file_system",
        "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => "aws_dynamodb_table",
        "AWS::SNS::Topic" => "aws_sns_topic",
        "AWS::SNS::TopicPolicy" => "aws_sns_topic_policy",
        "AWS::SQS::Queue" => "aws_sqs_queue",
        "AWS::SQS::QueuePolicy" => "aws_sqs_queue_policy",
        "AWS::Logs::LogGroup" => "aws_cloudwatch_log_group",
        "AWS::SecretsManager::Secret" => "aws_secretsmanager_secret",
        "AWS::CloudTrail::Trail" => "aws_cloudtrail",
        "AWS::GuardDuty::Detector" => "aws_guardduty_detector",
        "AWS::EKS::Cluster" => "aws_eks_cluster",
        "AWS::EKS::Nodegroup" => "aws_eks_node_group",
        "AWS::EKS::PodIdentityAssociation" => "aws_eks_pod_identity_association",
        "AWS::ECR::Repository" => "aws_ecr_repository",
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => "aws_lambda_function",
        "AWS::Lambda::Permission" => "aws_lambda_permission",
        "AWS::ElasticLoadBalancingV2::Listener" => "aws_lb_listener",
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => "aws_lb",
        "AWS::ElastiCache::ReplicationGroup" => "aws_elasticache_replication_group",
        "AWS::Redshift::Cluster" => "aws_redshift_cluster",
        "AWS::Elasticsearch::Domain" => "aws_elasticsearch_domain",
        "AWS::OpenSearchService::Domain" => "aws_opensearch_domain",
        "AWS::CloudFront::Distribution" => "aws_cloudfront_distribution",
        "AWS::ApiGateway::RestApi" | "AWS::Serverless::Api" => "aws_api_gateway_rest_api",
        "AWS::ApiGateway::Stage" => "aws_api_gateway_stage",
        "AWS::Neptune::DBCluster" => "aws_neptune_cluster",
        "AWS::DocDB::DBCluster" => "aws_docdb_cluster",
        "AWS::Kinesis::Stream" => "aws_kinesis_stream",
        "AWS::CodeBuild::Project" => "aws_codebuild_project",
        "AWS::ECS::TaskDefinition" => "aws_ecs_task_definition",
        "AWS::EC2::EIP" => "aws_eip",
        "AWS::AutoScaling::LaunchConfiguration" => "aws_launch_configuration",
        "AWS::Config::ConfigurationRecorder" => "aws_config_configuration_recorder",
        "AWS::SageMaker::NotebookInstance" => "aws_sagemaker_notebook_instance",
        _ => "",
    };
    if mapped.is_empty() {
        declared.to_owned()
    } else {
        mapped.to_owned()
    }
}

/// `Metadata: rampart: ignore:` as codes with reasons: a list of codes (`C201`, or
/// `C201 -- reason`), or of maps `{id: C201, reason: ...}` (`code` for `id` too).
fn ignores_of(node: &Node) -> Vec<(String, Option<String>)> {
    let mut ignores = Vec::new();
    for item in node.items() {
        match &item.value {
            NodeValue::String(text) => ignores.extend(parse_ignore(text)),
            NodeValue::Map(_) => {
                let code = item
                    .get("id")
                    .or_else(|| item.get("code"))
                    .and_then(Node::as_str);
                let reason = item.get("reason").and_then(Node::as_str).map(str::to_owned);
                if let Some(code) = code {
                    ignores.push((code.to_owned(), reason));
                }
            }
            _ => {}
        }
    }
    if let Some(text) = node.as_str() {
        ignores.extend(parse_ignore(text));
    }
    ignores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str) -> Template {
        parse_template("t.yaml", text, &Limits::default(), "t.yaml")
    }

    #[test]
    fn names_become_snake_case() {
        assert_eq!(snake_case("DBInstanceClass"), "db_instance_class");
        assert_eq!(snake_case("MultiAZ"), "multi_az");
        assert_eq!(snake_case("KmsKeyId"), "kms_key_id");
        assert_eq!(snake_case("SSESpecification"), "sse_specification");
        assert_eq!(snake_case("EnableKeyRotation"), "enable_key_rotation");
    }

    #[test]
    fn templates_are_told_by_content() {
        assert!(is_template("AWSTemplateFormatVersion: 2010-09-09\n"));
        assert!(is_template("Resources:\n  B:\n    Type: AWS::S3::Bucket\n"));
        assert!(is_template(
            r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}"#
        ));
        assert!(!is_template(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"
        ));
    }

    #[test]
    fn intrinsics_parameters_conditions_and_mappings() {
        let text = r#"
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  Secret:
    Type: String
Mappings:
  Sizes:
    prod: {Retention: 30}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${Env}-logs"
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [!Ref Env, !Ref Secret]]
      VersioningConfiguration: !If [IsProd, {Status: Enabled}, !Ref AWS::NoValue]
      LoggingConfiguration:
        DestinationBucketName: !Ref Logs
  Dev:
    Type: AWS::S3::Bucket
    Condition: IsDev
  Group:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !FindInMap [Sizes, !Ref Env, Retention]
"#;
        let template = template(text);
        assert!(template.errors.is_empty(), "{:?}", template.errors);
        let ids: Vec<&str> = template.resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(ids, ["Logs", "Data", "Group"]);
        let [logs, data, group] = &template.resources[..] else {
            unreachable!()
        };
        assert_eq!(logs.kind, "aws_s3_bucket");
        assert_eq!(logs.str("bucket"), Some("prod-logs"));
        assert!(data.get("bucket").unwrap().is_unknown());
        assert_eq!(data.str("versioning_configuration/status"), Some("Enabled"));
        // The reference to Logs resolves to its name and is recorded.
        assert_eq!(
            data.str("logging_configuration/destination_bucket_name"),
            Some("prod-logs")
        );
        assert!(data.refers_to("logging_configuration", "Logs"));
        assert_eq!(group.get("retention_in_days"), Some(&Value::Number(30.0)));
        assert_eq!(data.position_of("/versioning_configuration"), (24, 7));
    }

    #[test]
    fn suppressions_in_metadata() {
        let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      rampart:\n        ignore:\n          - C301 -- logs are public by design\n          - {id: C302, reason: archive}\n";
        let template = template(text);
        assert_eq!(
            template.resources[0].ignores,
            [
                (
                    "C301".to_owned(),
                    Some("logs are public by design".to_owned())
                ),
                ("C302".to_owned(), Some("archive".to_owned()))
            ]
        );
    }
}
