mod admin_port_open;
mod all_ports_open;
mod data_port_open;
mod default_security_group;
mod load_balancer_http;
mod open_ports;
mod subnet_public_ip;

pub(crate) use admin_port_open::*;
pub(crate) use all_ports_open::*;
pub(crate) use data_port_open::*;
pub(crate) use default_security_group::*;
pub(crate) use load_balancer_http::*;
pub(crate) use subnet_public_ip::*;
