//! A contract page of `docs/` as the tests read it: under each heading, a table
//! `| key | type | meaning |` describes one JSON object (the grammar is in `docs/json.md`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use serde_json::Value;

enum Type {
    String,
    Integer,
    Boolean,
    Null,
    Array(Box<Type>),
    /// The object under this anchor of the page.
    Object(String),
    Either(Vec<Type>),
}

struct Field {
    key: String,
    kind: Type,
    optional: bool,
}

pub struct Page {
    name: String,
    /// The objects, by the anchor of their heading.
    objects: BTreeMap<String, Vec<Field>>,
    /// (anchor, key) of every key some checked output held.
    seen: Mutex<BTreeSet<(String, String)>>,
}

impl Page {
    /// Reads `docs/<name>`.
    pub fn read(name: &str) -> Page {
        let path = crate::repo().join("docs").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut objects: BTreeMap<String, Vec<Field>> = BTreeMap::new();
        let mut anchor = None;
        for line in text.lines() {
            if line.starts_with('#') {
                anchor = Some(slug(line.trim_start_matches('#')));
            } else if let (Some(anchor), Some(row)) = (&anchor, line.strip_prefix("| `")) {
                let cells: Vec<&str> = row.split(" | ").collect();
                let key = cells[0].trim_end_matches('`');
                let (kind, optional) = match cells[1].strip_suffix(", optional") {
                    Some(kind) => (kind, true),
                    None => (cells[1], false),
                };
                let field = Field {
                    key: key.to_owned(),
                    kind: parse_type(kind).unwrap_or_else(|| panic!("{name}: type `{kind}`")),
                    optional,
                };
                objects.entry(anchor.clone()).or_default().push(field);
            }
        }
        Page {
            name: name.to_owned(),
            objects,
            seen: Mutex::default(),
        }
    }

    /// Asserts that `json` is the object documented under `#anchor`.
    pub fn check(&self, anchor: &str, json: &Value) {
        let mut errors = Vec::new();
        let mut seen = Vec::new();
        self.check_object(anchor, json, "", &mut errors, &mut seen);
        assert!(
            errors.is_empty(),
            "{} does not describe what is written:\n{}\n{json:#}",
            self.name,
            errors.join("\n")
        );
        self.seen.lock().unwrap().extend(seen);
    }

    /// Asserts that every key of the page appeared in an output that was checked, so that no
    /// documented key goes untested.
    pub fn assert_all_seen(&self) {
        let seen = self.seen.lock().unwrap();
        let unseen: Vec<String> = self
            .objects
            .iter()
            .flat_map(|(anchor, fields)| fields.iter().map(move |f| (anchor, &f.key)))
            .filter(|(anchor, key)| !seen.contains(&(anchor.to_string(), key.to_string())))
            .map(|(anchor, key)| format!("#{anchor} `{key}`"))
            .collect();
        assert!(
            unseen.is_empty(),
            "{}: no checked output holds {}",
            self.name,
            unseen.join(", ")
        );
    }

    fn check_object(
        &self,
        anchor: &str,
        value: &Value,
        at: &str,
        errors: &mut Vec<String>,
        seen: &mut Vec<(String, String)>,
    ) {
        let Some(fields) = self.objects.get(anchor) else {
            errors.push(format!("{at}: no table under #{anchor}"));
            return;
        };
        let Some(object) = value.as_object() else {
            errors.push(format!("{at}: not an object, as #{anchor} says"));
            return;
        };
        for key in object.keys() {
            if !fields.iter().any(|f| &f.key == key) {
                errors.push(format!("{at}/{key}: not listed under #{anchor}"));
            }
        }
        for field in fields {
            let at = format!("{at}/{}", field.key);
            match object.get(&field.key) {
                None if field.optional => {}
                None => errors.push(format!(
                    "{at}: missing, and #{anchor} does not say optional"
                )),
                Some(value) => {
                    seen.push((anchor.to_owned(), field.key.clone()));
                    self.check_value(&field.kind, value, &at, errors, seen);
                }
            }
        }
    }

    fn check_value(
        &self,
        kind: &Type,
        value: &Value,
        at: &str,
        errors: &mut Vec<String>,
        seen: &mut Vec<(String, String)>,
    ) {
        let fits = match kind {
            Type::String => value.is_string(),
            Type::Integer => value.is_i64() || value.is_u64(),
            Type::Boolean => value.is_boolean(),
            Type::Null => value.is_null(),
            Type::Array(item) => {
                for (index, item_value) in value.as_array().into_iter().flatten().enumerate() {
                    self.check_value(item, item_value, &format!("{at}/{index}"), errors, seen);
                }
                value.is_array()
            }
            Type::Object(anchor) => {
                self.check_object(anchor, value, at, errors, seen);
                true
            }
            Type::Either(kinds) => {
                let mut why_not = Vec::new();
                for kind in kinds {
                    let (mut own_errors, mut own_seen) = (Vec::new(), Vec::new());
                    self.check_value(kind, value, at, &mut own_errors, &mut own_seen);
                    if own_errors.is_empty() {
                        seen.extend(own_seen);
                        return;
                    }
                    why_not.extend(own_errors);
                }
                errors.push(format!("{at}: fits no alternative: {}", why_not.join("; ")));
                return;
            }
        };
        if !fits {
            errors.push(format!("{at}: {value} is not of the documented type"));
        }
    }
}

fn parse_type(text: &str) -> Option<Type> {
    if let Some(item) = text.strip_prefix("array of ") {
        return Some(Type::Array(Box::new(parse_type(item)?)));
    }
    let mut kinds: Vec<Type> = text
        .split(" or ")
        .map(|one| match one {
            "string" => Some(Type::String),
            "integer" => Some(Type::Integer),
            "boolean" => Some(Type::Boolean),
            "null" => Some(Type::Null),
            link => {
                let anchor = link.split_once("](#")?.1.strip_suffix(')')?;
                Some(Type::Object(anchor.to_owned()))
            }
        })
        .collect::<Option<_>>()?;
    Some(if kinds.len() == 1 {
        kinds.remove(0)
    } else {
        Type::Either(kinds)
    })
}

/// The anchor GitHub gives a heading.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}
