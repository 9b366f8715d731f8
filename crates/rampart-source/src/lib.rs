//! The first stages of a scan: find the input files, read them within explicit limits, and
//! have the [`InputFormat`] that claims each parse it into the [`Inventory`]: YAML and JSON
//! into [`Node`] trees that keep positions and the Kubernetes objects among them, Dockerfiles
//! into [`Dockerfile`] models. Other crates add their formats to [`builtin_formats`].
//!
//! Bad input never stops a scan: a file that cannot be read or parsed becomes a
//! [`Diagnostic`](rampart_core::Diagnostic) with its path and line, and the rest goes on.

mod builtin;
mod discover;
mod dockerfile;
mod format;
mod host_files;
mod inventory;
mod items;
mod json;
mod limits;
mod node;
mod object;
pub mod shell;
mod yaml;

pub use builtin::{builtin_formats, is_compose_name, is_dockerfile_name};
pub use discover::{
    KustomizationFiles, LoadError, LoadOptions, Target, display_path, load, name_in_repository,
    normalise,
};
pub use dockerfile::{
    Base, CommandForm, Comment, Directives, Dockerfile, Expanded, Flag, Heredoc, Instruction,
    Keyword, Stage, parse_dockerfile,
};
pub use format::{Found, InputFormat, Parsed, SourceFile};
pub use host_files::HostFiles;
pub use inventory::Inventory;
pub use limits::Limits;
pub use node::{Entry, Node, Span, Text, TypeName, Value, push_pointer};
pub use object::{ComposeFile, Object, parse_text};
pub use yaml::{YamlDocument, YamlError, parse_stream};
