//! Problems in the input, as every stage reports them: one type, two levels.

use std::fmt;

use serde::Serialize;

/// How much a problem in the input costs the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Input that was not scanned, or not all of it: it could not be read, or the API server
    /// (or the component, or the builder) would refuse it.
    Error,
    /// Input that was scanned, but probably does not mean what it seems to: a role assumed to
    /// be in `default`, a name defined twice, a binding to a role that is not there.
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// A problem in the input, where it is and what it means. Every engine writes these into one
/// `Vec<Diagnostic>`; [`Report::new`](crate::Report::new) drains them once into the report's
/// `errors` and `warnings`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Shown by where it is put (`errors` or `warnings`), not written beside each entry.
    #[serde(skip)]
    pub level: Level,
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Error, path, line, message)
    }

    pub fn warning(path: impl Into<String>, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Warning, path, line, message)
    }

    pub fn new(
        level: Level,
        path: impl Into<String>,
        line: Option<u32>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

/// `path:line: message`, as compilers write them.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}
