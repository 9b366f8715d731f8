//! Kubernetes semantics, as a library: where the pod spec lives in each workload kind, how
//! container security settings override pod-level ones, the Pod Security Standards, RBAC, and
//! the types the API requires of the fields all of these read.

pub mod api_kinds;
pub mod cluster;
pub mod components;
pub mod mesh;
pub mod netpol;
pub mod node;
pub mod placement;
mod position;
pub mod pss;
pub mod rbac;
mod reporter;
pub mod shape;
pub mod workload;

pub use api_kinds::ApiKinds;
pub use cluster::ClusterIndex;
pub use shape::shape_errors;
pub use workload::{ContainerKind, ContainerRef, PodTemplate, pod_template};
