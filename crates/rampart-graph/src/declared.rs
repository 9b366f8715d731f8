//! What says which file builds which image (`[images]` of the configuration, build files), and
//! why a reference was matched to a source.

use std::path::PathBuf;

use rampart_core::{ImageRef, Location};

use crate::source::Build;

/// Why a reference was matched to a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// `[images]` in the configuration file lists it.
    Configured,
    /// A build file says this Dockerfile builds the repository: a Skaffold artifact, a
    /// Compose service (`what`), declared at `at`.
    Built { what: String, at: Location },
    /// The image is known by that repository (and tag or digest).
    Name,
    /// The Dockerfile's last folders are the repository's last path components.
    Folders(String),
}

impl Matched {
    /// How the match was made, as people read it.
    pub fn describe(&self) -> String {
        match self {
            Matched::Configured => "listed under `[images]` in rampart.toml".to_owned(),
            Matched::Built { what, .. } => format!("built by the {what}"),
            Matched::Name => "image known by that name".to_owned(),
            Matched::Folders(folders) => {
                format!("the Dockerfile's path and the image's repository both end in `{folders}`")
            }
        }
    }

    /// Where the match is declared, when a file of the scan declares it.
    pub fn location(&self) -> Option<Location> {
        match self {
            Matched::Built { at, .. } => Some(at.clone()),
            Matched::Configured | Matched::Name | Matched::Folders(_) => None,
        }
    }
}

/// An image reference with the Dockerfile, OCI layout or archive that builds or holds it,
/// as `[images]` of the configuration file lists it or a build file declares it.
#[derive(Debug, Clone)]
pub struct Declared {
    /// A repository stands for all its tags. A build file's tag is not compared: it names
    /// what a developer builds, not the release a manifest runs.
    pub reference: String,
    /// An absolute path.
    pub file: PathBuf,
    /// How a build file builds it; the default for `[images]`.
    pub build: Build,
    /// [`Matched::Configured`] or [`Matched::Built`].
    pub matched: Matched,
}

impl Declared {
    /// Whether the entry is about `wanted`: the same repository and, for a configured entry,
    /// the same tag or digest when the entry gives one.
    pub(crate) fn selects(&self, wanted: &ImageRef<'_>) -> bool {
        let Ok(key) = ImageRef::parse(&self.reference) else {
            return false;
        };
        key.name() == wanted.name()
            && (self.matched != Matched::Configured
                || (key
                    .tag
                    .is_none_or(|tag| wanted.effective_tag() == Some(tag))
                    && key
                        .digest
                        .is_none_or(|digest| wanted.digest == Some(digest))))
    }
}

/// What says which file builds which image: `[images]` of the configuration, then build
/// files, in that order of trust.
#[derive(Debug, Clone, Default)]
pub struct ImageMapping {
    pub entries: Vec<Declared>,
}
