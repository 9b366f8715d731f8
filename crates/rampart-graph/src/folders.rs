//! Matching an image's repository to the folders of the Dockerfiles that may build it.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::source::{ImageSource, SourceKind};

/// The Dockerfiles of the scan by the last component they stand for.
pub(crate) struct FolderIndex {
    /// For each Dockerfile, the components it stands for, last first, lower case.
    by_last: HashMap<String, Vec<(usize, Vec<String>)>>,
}

impl FolderIndex {
    pub(crate) fn new(
        sources: &[ImageSource],
        roots: &[PathBuf],
        claimed: &HashSet<&PathBuf>,
    ) -> FolderIndex {
        let mut by_last: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
        for (index, source) in sources.iter().enumerate() {
            if source.kind != SourceKind::Dockerfile {
                continue;
            }
            let Some(file) = source.file.as_ref().filter(|file| !claimed.contains(file)) else {
                continue;
            };
            // The deepest scanned folder holding the file; its parent is where names start.
            let start = roots
                .iter()
                .filter(|root| file.starts_with(root))
                .max_by_key(|root| root.components().count())
                .and_then(|root| root.parent());
            let relative = start.and_then(|start| file.strip_prefix(start).ok());
            let components = stands_for(relative.unwrap_or(file));
            if let Some(last) = components.first() {
                by_last
                    .entry(last.clone())
                    .or_default()
                    .push((index, components));
            }
        }
        FolderIndex { by_last }
    }

    /// The Dockerfile whose components end with the most of `repository`'s path components,
    /// with those components; `Err` with the Dockerfiles that share the best match.
    pub(crate) fn best(&self, repository: &str) -> Option<Result<(usize, String), Vec<usize>>> {
        let wanted: Vec<String> = repository.rsplit('/').map(str::to_lowercase).collect();
        let candidates = self.by_last.get(wanted.first()?)?;
        let scored: Vec<(usize, usize)> = candidates
            .iter()
            .map(|(index, components)| {
                let common = components
                    .iter()
                    .zip(&wanted)
                    .take_while(|(a, b)| a == b)
                    .count();
                (common, *index)
            })
            .collect();
        let top = scored.iter().map(|(common, _)| *common).max()?;
        let best: Vec<usize> = scored
            .iter()
            .filter(|(common, _)| *common == top)
            .map(|(_, index)| *index)
            .collect();
        if let [index] = best[..] {
            let mut folders: Vec<&str> = wanted[..top].iter().map(String::as_str).collect();
            folders.reverse();
            Some(Ok((index, folders.join("/"))))
        } else {
            Some(Err(best))
        }
    }
}

/// The path components a Dockerfile stands for, last first: its folders, and the `NAME` of
/// `Dockerfile.NAME` or `NAME.Dockerfile` (also `Containerfile`) after them.
fn stands_for(file: &Path) -> Vec<String> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let suffix = ["dockerfile", "containerfile"].iter().find_map(|recipe| {
        name.strip_prefix(&format!("{recipe}."))
            .or_else(|| name.strip_suffix(&format!(".{recipe}")))
    });
    let folders = file
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .rev()
        .filter_map(|component| match component {
            Component::Normal(folder) => Some(folder.to_string_lossy().to_lowercase()),
            _ => None,
        });
    suffix
        .map(str::to_owned)
        .into_iter()
        .chain(folders)
        .collect()
}
