//! Python source files as an input of a scan: each `.py` file lowered into a [`Module`], its
//! syntax errors reported with their line.

use std::path::Path;

use rampart_core::Diagnostic;
use rampart_source::{Found, InputFormat, Parsed, SourceFile};

use crate::ir::Module;

/// `.py` files, found by extension.
pub struct PythonSources;

impl InputFormat for PythonSources {
    fn name(&self) -> &'static str {
        "Python sources"
    }

    fn claims(&self, path: &Path, _found: Found) -> bool {
        path.extension().is_some_and(|extension| extension == "py")
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        let module: Module = crate::python::parse(file.shown, file.text);
        for error in &module.errors {
            into.error(Diagnostic::error(
                file.shown.to_owned(),
                Some(error.span.line),
                format!("column {}: {}", error.span.column, error.message),
            ));
        }
        into.push(module);
    }
}
