//! The first stages of a scan: find the input files, read them within explicit limits, parse
//! them into [`Node`] trees that keep positions, and pick out the Kubernetes objects; read
//! Dockerfiles into [`Dockerfile`] models.
//!
//! Bad input never stops a scan: a file that cannot be read or parsed becomes a
//! [`ScanError`](rampart_core::ScanError) with its path and line, and the rest goes on.

mod discover;
mod dockerfile;
mod limits;
mod node;
mod object;
pub mod shell;
mod yaml;

pub use discover::{
    LoadError, LoadOptions, Target, display_path, is_compose_name, is_dockerfile_name, load,
    normalise,
};
pub use dockerfile::{
    Base, CommandForm, Comment, Directives, Dockerfile, Expanded, Flag, Heredoc, Instruction,
    Keyword, Stage, parse_dockerfile,
};
pub use limits::Limits;
pub use node::{Entry, Node, Span, Text, TypeName, Value, push_pointer};
pub use object::{ComposeFile, Inventory, Object, parse_text};
pub use yaml::{YamlDocument, YamlError, parse_stream};
