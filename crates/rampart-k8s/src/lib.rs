//! Kubernetes semantics, as a library: where the pod spec lives in each workload kind, how
//! container security settings override pod-level ones, the Pod Security Standards, and RBAC.

pub mod cluster;
pub mod image;
pub mod pss;
pub mod rbac;
pub mod workload;

pub use cluster::ClusterIndex;
pub use workload::{ContainerKind, ContainerRef, PodTemplate, pod_template};
