//! Lockfiles written in JSON or YAML, read into rampart-source's spanned [`Node`]s so that each
//! package keeps its line; and TOML lockfiles, read with byte offsets.

use rampart_source::{Limits, Node, Span, Value, parse_stream};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::lockfile::Reading;

/// The first document of a JSON or YAML file, or `None` with the problem noted.
pub(crate) fn document(reading: &mut Reading, text: &str) -> Option<Node> {
    let (mut documents, error) = parse_stream(text, &Limits::default());
    if let Some(error) = error {
        reading.problem(Some(error.line), error.message);
        return None;
    }
    if documents.is_empty() {
        return None;
    }
    let root = documents.swap_remove(0).root;
    if root.as_map().is_none() {
        reading.problem(Some(root.span.line), "expected an object at the top");
        return None;
    }
    Some(root)
}

/// The line of a span, when it has one.
pub(crate) fn line_of(span: Span) -> Option<u32> {
    (span.line > 0).then_some(span.line)
}

/// The `[[package]]` tables of a TOML lockfile (Cargo, Poetry, uv, PDM), each deserialized as
/// `T` with the line it starts at; a table that does not fit is a problem, the others are read.
pub(crate) fn toml_packages<T: DeserializeOwned>(
    reading: &mut Reading,
    text: &str,
) -> Vec<(Option<u32>, T)> {
    #[derive(Deserialize)]
    struct Lock {
        #[serde(default)]
        package: Vec<Spanned<toml::Value>>,
    }
    let lock: Lock = match toml::from_str(text) {
        Ok(lock) => lock,
        Err(error) => {
            let line = error.span().map(|span| reading.line_of(span.start));
            reading.problem(line, error.message().trim().to_owned());
            return Vec::new();
        }
    };
    let mut packages = Vec::with_capacity(lock.package.len());
    for table in lock.package {
        let line = Some(reading.line_of(table.span().start));
        match table.into_inner().try_into::<T>() {
            Ok(package) => packages.push((line, package)),
            Err(error) => reading.problem(
                line,
                format!("a [[package]] table: {}", error.message().trim()),
            ),
        }
    }
    packages
}

/// A scalar as text: YAML lockfiles leave versions such as `2` or `7.24.2` unquoted.
pub(crate) fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(text) => Some(text.to_string()),
        Value::Int(number) => Some(number.to_string()),
        Value::Float(number) => Some(number.to_string()),
        _ => None,
    }
}
