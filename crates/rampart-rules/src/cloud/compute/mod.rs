mod gcp_default_service_account;
mod gcp_ip_forwarding;
mod gcp_project_ssh_keys;
mod gcp_public_ip;
mod gcp_serial_port;
mod imds_hop_limit;
mod imdsv1_allowed;
mod instance_public_ip;

pub(crate) use gcp_default_service_account::*;
pub(crate) use gcp_ip_forwarding::*;
pub(crate) use gcp_project_ssh_keys::*;
pub(crate) use gcp_public_ip::*;
pub(crate) use gcp_serial_port::*;
pub(crate) use imds_hop_limit::*;
pub(crate) use imdsv1_allowed::*;
pub(crate) use instance_public_ip::*;
