//! Rules about container images (`I1xx`): the configuration a container starts with and the
//! files its layers ship, including files a later layer deletes (their bytes still ship).

mod admin_port_exposed;
mod credential_file;
mod healthcheck_missing;
mod runs_as_root;
mod secret_in_config;
mod setuid_file;
mod world_writable;

pub use admin_port_exposed::ImageAdminPortExposed;
pub use credential_file::ImageCredentialFile;
pub use healthcheck_missing::ImageHealthcheckMissing;
pub use runs_as_root::ImageRunsAsRoot;
pub use secret_in_config::ImageSecretInConfig;
pub use setuid_file::ImageSetuidFile;
pub use world_writable::ImageWorldWritable;

use rampart_image::{EntryId, Fate, Image};
use rampart_source::push_pointer;

use crate::ImageTarget;

/// `/layers/<n>/<path>`: the layer's position in the manifest, then the file.
fn file_pointer(id: EntryId, path: &str) -> String {
    format!("/layers/{}/{path}", id.layer)
}

/// What a fingerprint hashes for a file: its path, not the layer (layers move on rebuilds).
fn file_identity(path: &str) -> String {
    format!("files/{path}")
}

/// A pointer into the image configuration document.
fn config_pointer(parts: &[&str]) -> String {
    parts
        .iter()
        .fold(String::new(), |pointer, part| push_pointer(&pointer, part))
}

/// Where a file is and whether it is still visible: "in layer 2 (…)", and for a hidden one
/// why it still matters.
fn whereabouts(image: &Image, target: &ImageTarget<'_>, id: EntryId) -> String {
    match target.files.fate(id) {
        Fate::Visible => format!("in {}", image.describe_layer(id.layer)),
        Fate::Hidden { by_layer } => format!(
            "in {}; {} deletes or replaces it, but the bytes still ship in the earlier layer \
             and anyone who pulls the image can extract them",
            image.describe_layer(id.layer),
            image.describe_layer(by_layer)
        ),
    }
}
