//! Helm: charts loaded, values assembled, templates rendered as `helm template` renders them.

mod chart;
mod objects;
mod render;
mod toml;
mod values;

pub use chart::{
    Chart, Ignore, LoadError, MAX_CHART_BYTES, MAX_FILE_BYTES, load_archive, load_dir, load_listing,
};
pub use objects::{DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, HELM_VERSION};
pub use render::{
    Manifest, Options, RenderError, Rendered, funcs, render, split_manifests, user_values,
};
pub use values::{SetKind, parse_set};
