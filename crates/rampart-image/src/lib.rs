//! Container images read without a container engine: OCI image layout folders, `docker save`
//! archives (classic and OCI-layout style) and registries over the OCI distribution API.
//!
//! Layers are streamed (gzip, zstd or plain tar, told by their first bytes), never unpacked:
//! what is kept is each entry's metadata (path, mode, owner, size, link) and, for the few files
//! a rule reads, a bounded head of the content. Every blob's digest and size are checked
//! against what the image declares; [`Limits`] cap expanded size, entries, JSON documents and
//! nesting; unsafe entry names (`..`, absolute) and links leaving the image are reported as
//! [`Problem`]s and dropped. Whiteouts and opaque folders are applied in layer order by
//! [`FileSystem::of`], which also tells which later layer hid each entry.

pub mod build;
#[cfg(feature = "registry")]
mod credentials;
mod digest;
mod error;
mod files;
mod layer;
mod limits;
mod model;
mod read;
#[cfg(feature = "registry")]
mod registry;
mod store;
#[cfg(feature = "testing")]
pub mod testing;
mod user;

pub use digest::Digest;
pub use error::{ImageError, LimitKind};
pub use limits::Limits;
pub use model::{
    ConfigFile, ContainerConfig, Entry, EntryId, EntryKind, Fate, FileSystem, Healthcheck, History,
    Image, Layer, Platform, Problem, RootFs, shorten,
};
pub use read::{ReadOptions, read_archive_bytes, read_path};
#[cfg(feature = "registry")]
pub use registry::{RegistryOptions, read_reference};
pub use store::is_layout;
pub use user::RuntimeUser;
