//! The seam where input formats plug in: which files a format reads and what it makes of them.

use std::path::Path;

use rampart_core::Diagnostic;

use crate::Limits;
use crate::items::Items;

/// One kind of input file rampart reads: Kubernetes manifests, Dockerfiles, Compose files, and
/// the formats other crates add (HCL, CloudFormation, a language's source files, lockfiles).
/// A scan reads each file with the first format of its list that claims it.
pub trait InputFormat: Send + Sync {
    /// What the format is, for people ("Kubernetes manifests").
    fn name(&self) -> &'static str;

    /// Whether this format reads the file at `path`. Every format is asked with
    /// [`Found::InFolder`] first (for a file named explicitly too), so that a format that knows
    /// the file by its name gets it, whatever the order of the list; a file named explicitly
    /// that no format knows by name is offered again with [`Found::Named`].
    fn claims(&self, path: &Path, found: Found) -> bool;

    /// Whether the text of a file this format claims is one it reads. Formats that share
    /// extensions tell their files apart by content (a CloudFormation template and a
    /// Kubernetes manifest are both `.yaml`): a file goes to the first format that claims it
    /// and recognises its text, else to the first that claims it.
    fn recognises(&self, _text: &str) -> bool {
        true
    }

    /// Parses a claimed file: pushes what it holds, and the problems found in it, `into` the
    /// scan's inventory. Its bytes were checked to be text within the size limit.
    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed);
}

/// How a path is offered to [`InputFormat::claims`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Met while walking a folder, which holds many files of other kinds: claim it by its name.
    InFolder,
    /// Named by the user, and known by name to no format: claim it if it may be yours (Kubernetes
    /// manifests read any such file, and standard input, named `-`).
    Named,
}

/// A file's text, as a format reads it.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Where the file is; `None` for standard input.
    pub path: Option<&'a Path>,
    /// The file as reports name it (`-` for standard input).
    pub shown: &'a str,
    /// The text, valid UTF-8 without a byte order mark.
    pub text: &'a str,
    pub limits: &'a Limits,
}

/// What a format made of one file: items of any type, gathered by type in the
/// [`Inventory`](crate::Inventory), and the file's problems.
#[derive(Debug, Default)]
pub struct Parsed {
    pub(crate) items: Items,
    pub(crate) errors: Vec<Diagnostic>,
}

impl Parsed {
    /// The items of type `T` pushed so far: a format that wraps another sees what it made.
    pub fn all<T: 'static>(&self) -> &[T] {
        self.items.all::<T>()
    }

    /// Adds an item; the inventory's [`all`](crate::Inventory::all) lists it by its type.
    pub fn push<T: Send + Sync + 'static>(&mut self, item: T) {
        self.items.list_mut().push(item);
    }

    pub fn extend<T: Send + Sync + 'static>(&mut self, items: impl IntoIterator<Item = T>) {
        self.items.list_mut().extend(items);
    }

    /// A problem found in the file (reported with its path and line; the scan goes on).
    pub fn error(&mut self, error: Diagnostic) {
        self.errors.push(error);
    }

    pub(crate) fn failed(error: Diagnostic) -> Parsed {
        Parsed {
            items: Items::default(),
            errors: vec![error],
        }
    }
}
