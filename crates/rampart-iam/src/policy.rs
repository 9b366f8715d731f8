//! The IAM policy language as AWS's JSON policy reference defines it: `Version`, `Id`,
//! `Statement` (one object or a list), and in each statement `Sid`, `Effect`, `Action` or
//! `NotAction`, `Resource` or `NotResource`, `Principal` or `NotPrincipal`, `Condition`. A
//! document AWS would refuse is an error with the JSON pointer of the offending element,
//! never a policy read by guessing.

use serde_json::{Map, Value};

use crate::pattern::ResourcePattern;

/// A policy document, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub version: Version,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

/// The policy language version; policy variables exist only in `2012-10-17`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2012_10_17,
    /// `2008-10-17`, or no `Version` at all (which AWS reads as this one).
    V2008_10_17,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement, with its place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Position in `Statement` (0 when it is a single object).
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// `Action`, or `NotAction` when negated.
    pub actions: Names,
    /// `Resource` or `NotResource`; absent in resource-based policies, where the statement is
    /// about the resource the policy is attached to.
    pub resources: Option<Resources>,
    /// `Principal` or `NotPrincipal`; present in resource-based policies only.
    pub principals: Option<Principals>,
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// The JSON pointer of the statement in its document.
    pub fn pointer(&self, single: bool) -> String {
        if single {
            "/Statement".to_owned()
        } else {
            format!("/Statement/{}", self.index)
        }
    }
}

/// A list of action names, or the negation of one (`NotAction`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub negated: bool,
    pub values: Vec<String>,
    /// Whether the list holds a value not known statically (see [`UNKNOWN_KEY`]).
    pub unknown: bool,
}

/// A list of resource patterns, or the negation of one (`NotResource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    pub negated: bool,
    pub patterns: Vec<ResourcePattern>,
    pub unknown: bool,
}

/// A list of principals, or the negation of one (`NotPrincipal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principals {
    pub negated: bool,
    pub entries: Vec<PrincipalEntry>,
    pub unknown: bool,
}

/// One principal a resource-based policy names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`: everyone, anonymous callers included.
    Everyone,
    /// An account (`123456789012`, `arn:aws:iam::123456789012:root`), a user, a role, a role
    /// session, a federated user.
    Aws(String),
    /// A service (`ec2.amazonaws.com`).
    Service(String),
    /// An identity provider (`cognito-identity.amazonaws.com`, an OIDC or SAML provider ARN).
    Federated(String),
    CanonicalUser(String),
}

/// One condition: `{"StringEquals": {"aws:SourceAccount": "123456789012"}}` is the operator
/// `StringEquals`, the key `aws:SourceAccount` and its values. Kept as written: a statement
/// with conditions applies only in the request contexts that meet them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} [{}]",
            self.operator,
            self.key,
            self.values.join(", ")
        )
    }
}

/// How a configuration marks a value it cannot know statically (a Terraform expression over
/// an unknown attribute): an object `{"$unknown": true}` in its place.
pub const UNKNOWN_KEY: &str = "$unknown";

/// Whether `value` is the mark of a value not known statically.
pub fn is_unknown(value: &Value) -> bool {
    matches!(value, Value::Object(map) if map.len() == 1 && map.contains_key(UNKNOWN_KEY))
}

/// Why a document is not a policy AWS would accept, and where; or why it cannot be read
/// statically.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct PolicyError {
    /// JSON pointer to the offending element (`/Statement/2/Effect`), empty for the document.
    pub pointer: String,
    pub message: String,
    /// The document depends on a value not known statically (its statements, an effect):
    /// not wrong, but what it allows is not known.
    pub unknown: bool,
}

fn error(pointer: &str, message: impl Into<String>) -> PolicyError {
    PolicyError {
        pointer: pointer.to_owned(),
        message: message.into(),
        unknown: false,
    }
}

fn unknown(pointer: &str) -> PolicyError {
    PolicyError {
        pointer: pointer.to_owned(),
        message: "not known statically".to_owned(),
        unknown: true,
    }
}

/// Statements a document may hold: more than any policy AWS stores (its largest documents are
/// 20,480 characters), so only hostile input meets it.
pub const MAX_STATEMENTS: usize = 10_000;

const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

impl Policy {
    /// Reads a policy from its JSON text.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| error("", format!("not JSON: {e} (line {})", e.line())))?;
        Policy::from_value(&value)
    }

    /// Reads a policy from a JSON value (as Terraform's `jsonencode` or a CloudFormation
    /// template gives it).
    pub fn from_value(value: &Value) -> Result<Policy, PolicyError> {
        if is_unknown(value) {
            return Err(unknown(""));
        }
        let Value::Object(document) = value else {
            return Err(error("", "a policy is a JSON object"));
        };
        for key in document.keys() {
            if !["Version", "Id", "Statement"].contains(&key.as_str()) {
                return Err(error(&format!("/{key}"), "not an element of a policy"));
            }
        }
        let version = match document.get("Version") {
            None => Version::V2008_10_17,
            Some(Value::String(v)) if v == "2012-10-17" => Version::V2012_10_17,
            Some(Value::String(v)) if v == "2008-10-17" => Version::V2008_10_17,
            Some(_) => {
                return Err(error(
                    "/Version",
                    "the version is \"2012-10-17\" or \"2008-10-17\"",
                ));
            }
        };
        let id = optional_string(document, "Id", "")?;
        let statements = match document.get("Statement") {
            Some(value) if is_unknown(value) => return Err(unknown("/Statement")),
            Some(Value::Object(single)) => vec![statement(single, 0, "/Statement", version)?],
            Some(Value::Array(list)) => {
                if list.len() > MAX_STATEMENTS {
                    return Err(error(
                        "/Statement",
                        format!("more than {MAX_STATEMENTS} statements"),
                    ));
                }
                list.iter()
                    .enumerate()
                    .map(|(index, item)| {
                        let at = format!("/Statement/{index}");
                        match item {
                            item if is_unknown(item) => Err(unknown(&at)),
                            Value::Object(object) => statement(object, index, &at, version),
                            _ => Err(error(&at, "a statement is a JSON object")),
                        }
                    })
                    .collect::<Result<_, _>>()?
            }
            Some(_) => {
                return Err(error(
                    "/Statement",
                    "a statement or a list of statements is expected",
                ));
            }
            None => return Err(error("", "the policy has no `Statement`")),
        };
        Ok(Policy {
            version,
            id,
            statements,
        })
    }

    /// Whether `Statement` is a single object rather than a list (for pointers).
    pub fn single_statement(value: &Value) -> bool {
        value.get("Statement").is_some_and(Value::is_object)
    }
}

fn statement(
    object: &Map<String, Value>,
    index: usize,
    at: &str,
    version: Version,
) -> Result<Statement, PolicyError> {
    for key in object.keys() {
        if !STATEMENT_ELEMENTS.contains(&key.as_str()) {
            return Err(error(
                &format!("{at}/{key}"),
                "not an element of a statement",
            ));
        }
    }
    let effect = match object.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(value) if is_unknown(value) => return Err(unknown(&format!("{at}/Effect"))),
        Some(_) => {
            return Err(error(
                &format!("{at}/Effect"),
                "the effect is \"Allow\" or \"Deny\"",
            ));
        }
        None => return Err(error(at, "the statement has no `Effect`")),
    };
    let sid = match object.get("Sid") {
        Some(value) if is_unknown(value) => None,
        _ => optional_string(object, "Sid", at)?,
    };
    let (negated, (values, unknown)) = one_of(object, "Action", "NotAction", at)?
        .ok_or_else(|| error(at, "the statement has neither `Action` nor `NotAction`"))?;
    let actions = Names {
        negated,
        values,
        unknown,
    };
    let variables = version == Version::V2012_10_17;
    let resources =
        one_of(object, "Resource", "NotResource", at)?.map(|(negated, (list, unknown))| {
            Resources {
                negated,
                patterns: list
                    .iter()
                    .map(|p| ResourcePattern::new(p, variables))
                    .collect(),
                unknown,
            }
        });
    let principals = principals(object, at)?;
    let conditions = match object.get("Condition") {
        None => Vec::new(),
        Some(value) => conditions(value, &format!("{at}/Condition"))?,
    };
    Ok(Statement {
        index,
        sid,
        effect,
        actions,
        resources,
        principals,
        conditions,
    })
}

fn optional_string(
    object: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<String>, PolicyError> {
    match object.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(error(&format!("{at}/{key}"), "a string is expected")),
    }
}

/// Strings, and whether some value among them is not known statically.
type Strings = (Vec<String>, bool);

/// One of an element and its negation (`Action`/`NotAction`): never both.
fn one_of(
    object: &Map<String, Value>,
    plain: &str,
    negated: &str,
    at: &str,
) -> Result<Option<(bool, Strings)>, PolicyError> {
    match (object.get(plain), object.get(negated)) {
        (Some(_), Some(_)) => Err(error(
            &format!("{at}/{negated}"),
            format!("a statement has `{plain}` or `{negated}`, not both"),
        )),
        (Some(value), None) => Ok(Some((false, strings(value, &format!("{at}/{plain}"))?))),
        (None, Some(value)) => Ok(Some((true, strings(value, &format!("{at}/{negated}"))?))),
        (None, None) => Ok(None),
    }
}

/// A string or a non-empty list of strings; values not known statically are left out and
/// noted.
fn strings(value: &Value, at: &str) -> Result<Strings, PolicyError> {
    match value {
        Value::String(s) => Ok((vec![s.clone()], false)),
        value if is_unknown(value) => Ok((Vec::new(), true)),
        Value::Array(items) if !items.is_empty() => {
            let mut strings = Vec::new();
            let mut unknown = false;
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => strings.push(s.clone()),
                    item if is_unknown(item) => unknown = true,
                    _ => return Err(error(&format!("{at}/{i}"), "a string is expected")),
                }
            }
            Ok((strings, unknown))
        }
        Value::Array(_) => Err(error(at, "an empty list")),
        _ => Err(error(at, "a string or a list of strings is expected")),
    }
}

fn principals(object: &Map<String, Value>, at: &str) -> Result<Option<Principals>, PolicyError> {
    let (negated, key, value) = match (object.get("Principal"), object.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            return Err(error(
                &format!("{at}/NotPrincipal"),
                "a statement has `Principal` or `NotPrincipal`, not both",
            ));
        }
        (Some(value), None) => (false, "Principal", value),
        (None, Some(value)) => (true, "NotPrincipal", value),
        (None, None) => return Ok(None),
    };
    let at = format!("{at}/{key}");
    let mut unknown = false;
    let entries = match value {
        Value::String(s) if s == "*" => vec![PrincipalEntry::Everyone],
        value if is_unknown(value) => {
            unknown = true;
            Vec::new()
        }
        Value::Object(map) => {
            let mut entries = Vec::new();
            for (kind, values) in map {
                let inner = format!("{at}/{kind}");
                let (names, some_unknown) = strings(values, &inner)?;
                unknown |= some_unknown;
                for name in names {
                    entries.push(match kind.as_str() {
                        "AWS" if name == "*" => PrincipalEntry::Everyone,
                        "AWS" => PrincipalEntry::Aws(name),
                        "Service" => PrincipalEntry::Service(name),
                        "Federated" => PrincipalEntry::Federated(name),
                        "CanonicalUser" => PrincipalEntry::CanonicalUser(name),
                        _ => {
                            return Err(error(
                                &inner,
                                "a principal is `AWS`, `Service`, `Federated` or `CanonicalUser`",
                            ));
                        }
                    });
                }
            }
            entries
        }
        _ => {
            return Err(error(
                &at,
                "a principal is \"*\" or an object of `AWS`, `Service`, `Federated`, `CanonicalUser`",
            ));
        }
    };
    Ok(Some(Principals {
        negated,
        entries,
        unknown,
    }))
}

fn conditions(value: &Value, at: &str) -> Result<Vec<Condition>, PolicyError> {
    let not_known = || Condition {
        operator: UNKNOWN_KEY.to_owned(),
        key: UNKNOWN_KEY.to_owned(),
        values: Vec::new(),
    };
    if is_unknown(value) {
        return Ok(vec![not_known()]);
    }
    let Value::Object(operators) = value else {
        return Err(error(at, "a condition block is an object of operators"));
    };
    let mut conditions = Vec::new();
    for (operator, keys) in operators {
        let inner = format!("{at}/{operator}");
        if is_unknown(keys) {
            conditions.push(not_known());
            continue;
        }
        let Value::Object(keys) = keys else {
            return Err(error(
                &inner,
                "an operator holds an object of condition keys",
            ));
        };
        for (key, values) in keys {
            let at = format!("{inner}/{key}");
            let scalar = |value: &Value, at: &str| match value {
                Value::String(s) => Ok(s.clone()),
                value if is_unknown(value) => Ok(UNKNOWN_KEY.to_owned()),
                Value::Bool(_) | Value::Number(_) => Ok(value.to_string()),
                _ => Err(error(
                    at,
                    "a condition value is a string, number or boolean",
                )),
            };
            let values = match values {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| scalar(item, &format!("{at}/{i}")))
                    .collect::<Result<_, _>>()?,
                value => vec![scalar(value, &at)?],
            };
            conditions.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(conditions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statements_as_an_object_or_a_list() {
        let single = Policy::from_value(&json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
        }))
        .unwrap();
        assert_eq!(single.statements.len(), 1);
        assert_eq!(single.version, Version::V2012_10_17);
        let list = Policy::from_value(&json!({
            "Statement": [
                {"Sid": "a", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "NotResource": "*"},
                {"Effect": "Allow", "Action": "sts:AssumeRole",
                 "Principal": {"AWS": ["123456789012", "*"], "Service": "ec2.amazonaws.com"},
                 "Condition": {"StringEquals": {"sts:ExternalId": ["x", "y"]}, "Bool": {"aws:SecureTransport": true}}}
            ]
        }))
        .unwrap();
        assert_eq!(list.version, Version::V2008_10_17);
        let deny = &list.statements[0];
        assert_eq!(deny.sid.as_deref(), Some("a"));
        assert!(deny.actions.negated && deny.resources.as_ref().unwrap().negated);
        let trust = &list.statements[1];
        assert_eq!(trust.index, 1);
        assert!(trust.resources.is_none());
        assert_eq!(
            trust.principals.as_ref().unwrap().entries,
            vec![
                PrincipalEntry::Aws("123456789012".into()),
                PrincipalEntry::Everyone,
                PrincipalEntry::Service("ec2.amazonaws.com".into())
            ]
        );
        assert_eq!(trust.conditions.len(), 2);
        assert!(trust.conditions.iter().any(|c| c.values == ["true"]));
    }

    #[test]
    fn documents_aws_refuses_are_errors_at_their_element() {
        let cases = [
            (json!([]), ""),
            (json!({"Statement": "*"}), "/Statement"),
            (
                json!({"Version": "2012-10-18", "Statement": {}}),
                "/Version",
            ),
            (
                json!({"Statement": [{"Effect": "allow", "Action": "*"}]}),
                "/Statement/0/Effect",
            ),
            (json!({"Statement": [{"Effect": "Allow"}]}), "/Statement/0"),
            (
                json!({"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*"}]}),
                "/Statement/0/NotAction",
            ),
            (
                json!({"Statement": [{"Effect": "Allow", "Action": ["*", 3]}]}),
                "/Statement/0/Action/1",
            ),
            (
                json!({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"Aws": "*"}}]}),
                "/Statement/0/Principal/Aws",
            ),
            (
                json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"Bool": "x"}}]}),
                "/Statement/0/Condition/Bool",
            ),
            (
                json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resources": "*"}]}),
                "/Statement/0/Resources",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "*"}, "Extra": 1}),
                "/Extra",
            ),
        ];
        for (document, pointer) in cases {
            let err = Policy::from_value(&document).unwrap_err();
            assert_eq!(err.pointer, pointer, "{document}: {err}");
        }
        assert!(
            Policy::from_json("{")
                .unwrap_err()
                .message
                .contains("not JSON")
        );
    }
}
