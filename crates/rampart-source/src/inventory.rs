use std::path::PathBuf;

use rampart_core::Diagnostic;

use crate::format::Parsed;
use crate::items::Items;

/// Everything read from the targets of one scan: what the input formats made of the files,
/// listed by type ([`Object`](crate::Object)s, [`Dockerfile`](crate::Dockerfile)s,
/// [`ComposeFile`](crate::ComposeFile)s, and the types other formats add), and what the scan
/// met on its way.
#[derive(Debug, Default)]
pub struct Inventory {
    items: Items,
    pub errors: Vec<Diagnostic>,
    /// Files read, including those that failed to parse.
    pub files: usize,
    /// Container images found: OCI image layout folders (holding an `oci-layout` file) and
    /// `.tar` archives, which may be `docker save` output. Read by `rampart-image`; a tar that
    /// holds no image is skipped there.
    pub images: Vec<PathBuf>,
    /// The folders scanned (the folder of a file named alone), absolute: where paths of the
    /// scan start, so that nothing above them changes a result.
    pub roots: Vec<PathBuf>,
    /// Helm charts found: folders holding a `Chart.yaml`, outermost only (a subchart belongs
    /// to its parent). Their files are not read as manifests: the scan renders the charts.
    pub charts: Vec<PathBuf>,
    /// Kustomizations found that no other includes (an overlay, a base used by none): the
    /// scan renders each. The files kustomizations read are not read as manifests.
    pub kustomizations: Vec<PathBuf>,
}

impl Inventory {
    /// The items of type `T`, in the order of the files they were read from.
    pub fn all<T: 'static>(&self) -> &[T] {
        self.items.all()
    }

    pub fn push<T: Send + Sync + 'static>(&mut self, item: T) {
        self.items.list_mut().push(item);
    }

    pub fn extend<T: Send + Sync + 'static>(&mut self, items: impl IntoIterator<Item = T>) {
        self.items.list_mut().extend(items);
    }

    /// Takes the items of type `T` out of the inventory.
    pub fn take<T: 'static>(&mut self) -> Vec<T> {
        self.items.take()
    }

    /// Adds what formats made of files, each counted as a file read.
    pub(crate) fn add(&mut self, files: Vec<Parsed>) {
        self.files += files.len();
        let mut items = Vec::with_capacity(files.len());
        for file in files {
            self.errors.extend(file.errors);
            items.push(file.items);
        }
        self.items.append_all(items);
    }
}

/// An inventory holding `items` (tests, and callers that have their objects in memory).
impl<T: Send + Sync + 'static> From<Vec<T>> for Inventory {
    fn from(items: Vec<T>) -> Inventory {
        let mut inventory = Inventory::default();
        *inventory.items.list_mut() = items;
        inventory
    }
}
