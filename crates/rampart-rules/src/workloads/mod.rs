//! Rules about workloads (`K1xx`): pod and container security settings, images, resources and
//! where workloads run.

mod bare_pod;
mod privileged_container;

pub use bare_pod::BarePod;
pub use privileged_container::PrivilegedContainer;
