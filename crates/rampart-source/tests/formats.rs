//! A format defined outside the crate joins the list, and what it reads reaches the inventory
//! beside what the built-in formats read.

use std::path::Path;
use std::sync::Arc;

use rampart_core::Diagnostic;
use rampart_source::{
    Dockerfile, Found, InputFormat, LoadOptions, Object, Parsed, SourceFile, Target,
    builtin_formats, load,
};

/// A Terraform resource block, as far as this test reads one.
#[derive(Debug, PartialEq)]
struct Resource {
    path: String,
    line: u32,
    address: String,
}

/// Terraform files, reduced to the `resource "type" "name" {` lines.
struct Terraform;

impl InputFormat for Terraform {
    fn name(&self) -> &'static str {
        "Terraform"
    }

    fn claims(&self, path: &Path, _found: Found) -> bool {
        path.extension().is_some_and(|e| e == "tf")
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        for (index, line) in file.text.lines().enumerate() {
            let line_number = index as u32 + 1;
            let Some(rest) = line.strip_prefix("resource ") else {
                continue;
            };
            let words: Vec<&str> = rest
                .split('"')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            match words.as_slice() {
                [kind, name, "{"] => into.push(Resource {
                    path: file.shown.to_owned(),
                    line: line_number,
                    address: format!("{kind}.{name}"),
                }),
                _ => into.error(Diagnostic::error(
                    file.shown.to_owned(),
                    Some(line_number),
                    "a resource needs a type and a name".to_owned(),
                )),
            }
        }
    }
}

fn with_terraform() -> LoadOptions {
    let mut formats = builtin_formats();
    formats.push(Arc::new(Terraform));
    LoadOptions {
        formats,
        ..LoadOptions::default()
    }
}

fn write(folder: &Path, name: &str, text: &[u8]) {
    std::fs::write(folder.join(name), text).unwrap();
}

const POD: &[u8] = b"apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n";

#[test]
fn an_added_format_reads_its_files_beside_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", POD);
    write(dir.path(), "Dockerfile", b"FROM alpine:3.20\n");
    write(
        dir.path(),
        "main.tf",
        b"resource \"aws_s3_bucket\" \"logs\" {\n}\n\nresource \"aws_iam_role\" {\n}\n",
    );
    let target = [Target::Path(dir.path().to_owned())];

    let inventory = load(&target, &with_terraform()).unwrap();
    assert_eq!(inventory.files, 3);
    assert_eq!(inventory.all::<Object>().len(), 1);
    assert_eq!(inventory.all::<Dockerfile>().len(), 1);
    let main = dir.path().join("main.tf").display().to_string();
    assert_eq!(
        inventory.all::<Resource>(),
        [Resource {
            path: main.clone(),
            line: 1,
            address: "aws_s3_bucket.logs".to_owned(),
        }]
    );
    assert_eq!(inventory.errors.len(), 1, "{:?}", inventory.errors);
    assert_eq!(
        (inventory.errors[0].path.as_str(), inventory.errors[0].line),
        (main.as_str(), Some(4))
    );

    // Without it, a walk passes the file by.
    let inventory = load(&target, &LoadOptions::default()).unwrap();
    assert_eq!(inventory.files, 2);
    assert!(inventory.all::<Resource>().is_empty());
}

#[test]
fn a_file_named_explicitly_goes_to_the_format_that_knows_its_name() {
    // Kubernetes manifests, earlier in the list, read any file named explicitly; a format that
    // knows the name comes first all the same.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        b"resource \"aws_s3_bucket\" \"logs\" {\n",
    );
    write(dir.path(), "pod.txt", POD);
    let targets = ["main.tf", "pod.txt"].map(|name| Target::Path(dir.path().join(name)));
    let inventory = load(&targets, &with_terraform()).unwrap();
    assert_eq!(inventory.files, 2);
    assert_eq!(inventory.all::<Resource>().len(), 1);
    assert_eq!(inventory.all::<Object>().len(), 1);
    assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
}

#[test]
fn bytes_are_checked_before_any_format_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "binary.tf", b"resource \"a\" \"b\" {\0\n");
    write(dir.path(), "wide.tf", b"\xff\xfer\0e\0");
    write(
        dir.path(),
        "bom.tf",
        b"\xef\xbb\xbfresource \"aws_s3_bucket\" \"logs\" {\n",
    );
    let inventory = load(&[Target::Path(dir.path().to_owned())], &with_terraform()).unwrap();
    assert_eq!(inventory.files, 3);
    assert_eq!(inventory.all::<Resource>().len(), 1, "the mark is not text");
    let mut messages: Vec<_> = inventory
        .errors
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "UTF-16 encoded; convert it to UTF-8 to scan it",
            "binary file (contains a NUL byte); not scanned"
        ]
    );
}

#[test]
fn a_file_no_format_reads_is_an_error_when_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", POD);
    let options = LoadOptions {
        formats: vec![Arc::new(Terraform)],
        ..LoadOptions::default()
    };
    let named = load(&[Target::Path(dir.path().join("pod.yaml"))], &options).unwrap();
    assert_eq!(named.files, 0);
    assert_eq!(named.errors.len(), 1);
    assert!(named.errors[0].message.starts_with("no input format reads"));
    // A walk passes it by quietly, as it passes by any file it does not know.
    let walked = load(&[Target::Path(dir.path().to_owned())], &options).unwrap();
    assert_eq!((walked.files, walked.errors.len()), (0, 0));
}
