//! Diagnostics about the network policy input, pointing at the offending field.

use rampart_core::Location;
use rampart_source::Object;

use crate::rbac::{Diagnostic, DiagnosticLevel};

pub(crate) struct Reporter<'a, 'o> {
    object: &'o Object,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a, 'o> Reporter<'a, 'o> {
    pub fn new(object: &'o Object, out: &'a mut Vec<Diagnostic>) -> Reporter<'a, 'o> {
        Reporter { object, out }
    }

    pub fn report(&mut self, level: DiagnosticLevel, pointer: &str, message: impl AsRef<str>) {
        let object = self.object;
        let namespace = object
            .namespace
            .as_deref()
            .map(|ns| format!("{ns}/"))
            .unwrap_or_default();
        self.out.push(Diagnostic {
            level,
            path: object.path.to_string(),
            line: object.span_at(pointer).line,
            message: format!(
                "{} {namespace}{}: `{pointer}`: {}",
                object.kind,
                object.name,
                message.as_ref()
            ),
        });
    }

    /// Where the field at `pointer` of the object being read is.
    pub fn location(&self, pointer: &str) -> Location {
        self.object.location(self.object.span_at(pointer))
    }

    pub fn error(&mut self, pointer: &str, message: impl AsRef<str>) {
        self.report(DiagnosticLevel::Error, pointer, message);
    }

    pub fn warning(&mut self, pointer: &str, message: impl AsRef<str>) {
        self.report(DiagnosticLevel::Warning, pointer, message);
    }
}
