//! What makes a component refuse a configuration file: problems recorded at their field.

use std::fmt;

use rampart_core::ScanError;
use rampart_source::{Node, Object};

/// The problems the API server (or client) would reject a configuration file for, collected
/// as scan errors at the offending field.
pub(crate) struct Problems<'a> {
    object: &'a Object,
    pub errors: Vec<ScanError>,
}

impl<'a> Problems<'a> {
    pub fn new(object: &'a Object) -> Problems<'a> {
        Problems {
            object,
            errors: Vec::new(),
        }
    }

    /// The items of the list field `node` at `pointer`: none when it is missing or null, none
    /// and a problem when it is not a list.
    pub fn list<'n>(&mut self, node: Option<&'n Node>, pointer: &str) -> &'n [Node] {
        let Some(node) = node.filter(|node| !node.is_null()) else {
            return &[];
        };
        node.as_seq().unwrap_or_else(|| {
            self.at(
                pointer,
                format!("must be a list, found {}", node.type_name()),
            );
            &[]
        })
    }

    /// Records that the field at `pointer` is wrong, saying why.
    pub fn at(&mut self, pointer: &str, message: impl fmt::Display) {
        let shown = if pointer.is_empty() { "/" } else { pointer };
        self.errors.push(ScanError {
            path: self.object.path.to_string(),
            line: Some(self.object.span_at(pointer).line),
            message: format!("{} `{shown}`: {message}", self.object.kind),
        });
    }
}

/// The strings of a list field; anything else is an error.
pub(crate) fn strings(
    node: Option<&Node>,
    pointer: &str,
    problems: &mut Problems<'_>,
) -> Vec<String> {
    problems
        .list(node, pointer)
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let text = item.as_str();
            if text.is_none() {
                problems.at(
                    &format!("{pointer}/{index}"),
                    format!("must be a string, found {}", item.type_name()),
                );
            }
            text.map(str::to_owned)
        })
        .collect()
}
