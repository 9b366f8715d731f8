//! Links between the layers. Today: where the images that workloads run come from; the
//! cross-layer attack-path graph will grow here.
//!
//! Each image reference of a pod is matched to the Dockerfile that builds it and the images of
//! the scan that hold it, so that findings on a Dockerfile or an image name the workloads
//! running it, and workload rules can check the pod against the user its image starts as.
//!
//! A reference is matched, in this order of trust:
//! 1. to the files `rampart.toml` lists for it under `[images]`;
//! 2. failing 1, to the Dockerfiles that Skaffold configurations and Compose files of the scan
//!    say build its repository;
//! 3. to the images of the scan (layouts, archives, pulled references) known by the same
//!    repository, with the same tag and digest where both sides give one;
//! 4. failing 1 and 2, to the Dockerfile whose folders end like the repository's path: the
//!    image `registry.example/shop/cart` is built by `.../shop/cart/Dockerfile` rather than by
//!    `.../cart/Dockerfile`, and `Dockerfile.cart` or `cart.Dockerfile` stand for a folder
//!    `cart`. When several Dockerfiles match equally well, none is taken.

mod build_files;
mod declared;
mod folders;
mod links;
mod path;
mod runners;
mod source;
#[cfg(test)]
mod tests;

pub use build_files::image_mapping;
pub use declared::{Declared, ImageMapping, Matched};
pub use links::{ImageLinks, Link, image_links, user_evidence};
pub use path::normalized;
pub use runners::{Runner, runners_by_image};
pub use source::{Build, ImageSource, ImageUser, SourceKind, reads_content};
