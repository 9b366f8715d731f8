//! The one way the Kubernetes engines report a problem in an object: at the field, with the
//! object named, into the scan's diagnostics.

use std::fmt;

use rampart_core::{Diagnostic, Level, Location};
use rampart_source::{Node, Object};

/// Writes diagnostics about one object into `out`, pointing at its fields.
pub(crate) struct Reporter<'a, 'o> {
    pub object: &'o Object,
    pub out: &'a mut Vec<Diagnostic>,
}

impl<'a, 'o> Reporter<'a, 'o> {
    pub fn new(object: &'o Object, out: &'a mut Vec<Diagnostic>) -> Reporter<'a, 'o> {
        Reporter { object, out }
    }

    /// `Kind namespace/name: `pointer`: message` (`Kind `pointer`: message` for objects
    /// without a name, such as a component's configuration file), at the pointer's line.
    pub fn report(&mut self, level: Level, pointer: &str, message: impl fmt::Display) {
        let object = self.object;
        let at = if pointer.is_empty() {
            String::new()
        } else {
            format!("`{pointer}`: ")
        };
        let message = if object.name.is_empty() {
            format!("{} {at}{message}", object.kind)
        } else {
            let name = display_name(object.namespace.as_deref(), &object.name);
            format!("{} {name}: {at}{message}", object.kind)
        };
        let line = Some(object.span_at(pointer).line);
        self.out.push(Diagnostic::new(
            level,
            object.path.to_string(),
            line,
            message,
        ));
    }

    pub fn error(&mut self, pointer: &str, message: impl fmt::Display) {
        self.report(Level::Error, pointer, message);
    }

    pub fn warning(&mut self, pointer: &str, message: impl fmt::Display) {
        self.report(Level::Warning, pointer, message);
    }

    /// Where the field at `pointer` of the object being read is.
    pub fn location(&self, pointer: &str) -> Location {
        self.object.location(self.object.span_at(pointer))
    }

    /// The items of the list field `node` at `pointer`: none when it is missing or null, none
    /// and an error when it is not a list.
    pub fn list<'n>(&mut self, node: Option<&'n Node>, pointer: &str) -> &'n [Node] {
        let Some(node) = node.filter(|node| !node.is_null()) else {
            return &[];
        };
        node.as_seq().unwrap_or_else(|| {
            self.error(
                pointer,
                format_args!("must be a list, found {}", node.type_name()),
            );
            &[]
        })
    }

    /// The strings of the list field `node` at `pointer`; anything else is an error.
    pub fn strings(&mut self, node: Option<&Node>, pointer: &str) -> Vec<String> {
        self.list(node, pointer)
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let text = item.as_str();
                if text.is_none() {
                    self.error(
                        &format!("{pointer}/{index}"),
                        format_args!("must be a string, found {}", item.type_name()),
                    );
                }
                text.map(str::to_owned)
            })
            .collect()
    }
}

/// `namespace/name`, or `name` for a cluster-scoped object.
pub(crate) fn display_name(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) if !ns.is_empty() => format!("{ns}/{name}"),
        _ => name.to_owned(),
    }
}
